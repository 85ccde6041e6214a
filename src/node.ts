/** The package's entry under Node: `import { openTrajectoryStore } from 'trajectory-store'`. */
export { openTrajectoryStore } from './client/node.js';
export { createHudRecorder } from './recorder/recorder.js';
export { batchComparisonMarkdown, comparisonJson, comparisonMarkdown } from './store/compare/export.js';
export * from './public-types.js';
