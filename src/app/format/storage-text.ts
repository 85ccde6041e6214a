/** One line saying where the page's data lives, for the header. */
import type { StoreInfo } from '../../public-types.js';
import { formatBytes, formatCount } from './numbers.js';

export function storageSummary(info: StoreInfo): string {
  const count = `${formatCount(info.trajectoryCount)} ${info.trajectoryCount === 1 ? 'trajectory' : 'trajectories'}`;
  if (info.storage === 'memory') {
    return `⚠ Memory only: ${count}, lost when this page closes (this browser gives no persistent storage here).`;
  }
  return `${count} · ${formatBytes(info.sizeBytes)} on this device · ${info.persisted ? 'persistent storage' : 'the browser may evict it'}`;
}
