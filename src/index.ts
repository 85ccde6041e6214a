/**
 * The package's entry in browsers: `import { openTrajectoryStore } from 'trajectory-store'`.
 * The same names as the Node entry (src/node.ts); here the store runs in a dedicated worker on
 * OPFS, one database shared by every tab of the origin.
 */
export { openTrajectoryStore } from './client/browser.js';
export { createHudRecorder } from './recorder/recorder.js';
export { batchComparisonMarkdown, comparisonJson, comparisonMarkdown } from './store/compare/export.js';
export * from './public-types.js';
