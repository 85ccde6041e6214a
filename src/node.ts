/** The package's entry under Node: `import { openTrajectoryStore } from 'trajectory-store'`. */
export { openTrajectoryStore } from './client/node.js';
export { createHudRecorder } from './recorder/recorder.js';
export * from './public-types.js';
