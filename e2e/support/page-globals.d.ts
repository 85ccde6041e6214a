import type { TestPageApi } from '../pages/store-page.js';
import type { TrajectoryStore } from '../../src/public-types.js';
import type { RawPoolApi } from '../pages/raw-pool-page.js';
import type { OpfsCallsApi } from '../pages/opfs-calls-page.js';

declare global {
  interface Window {
    /** Set by e2e/pages/store-page.ts. */
    ts: TestPageApi;
    /** The store a test opened in this page. */
    store: TrajectoryStore;
    /** Set by e2e/pages/raw-pool-page.ts. */
    rawPool: RawPoolApi;
    /** Set by e2e/pages/opfs-calls-page.ts. */
    opfsCalls: OpfsCallsApi;
  }
}
