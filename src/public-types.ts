/** Everything a caller may name, shared by the browser and Node entries. */
export { TrajectoryStoreError, type ErrorCode, type Issue } from './errors.js';
export type { OpenOptions, StorageKind, StoreInfo, StoreRole, TrajectoryStore } from './client/types.js';
export type {
  HandleOutcome,
  HudRecorder,
  HudRecorderOptions,
  RecordedSessionKind,
  RecordedSessionStatus,
  RecordedSessionView,
  RecorderErrorContext,
  RecorderStats,
} from './client/recorder-types.js';
export type { HudMessage, HudMessageType, TestGenMessage, AtifMessage } from './schema/hud.js';
export type { AtifTrajectory, AtifStep } from './schema/atif.js';
export type { TestGenData, TestGenTest, TestGenReflection, TestGenStatus } from './schema/testgen.js';
export type {
  ExportFormat,
  ExportOptions,
  ImportOptions,
  InsertManyOptions,
  OnConflict,
  OrderBy,
  ProgressListener,
  Selection,
  SnapshotOptions,
  TrajectoryFilter,
  TrajectoryQuery,
} from './schema/query.js';
export type { Page } from './store/list.js';
export type { StoredTrajectory } from './store/read.js';
export type { TrajectorySummary } from './store/rows.js';
export type { SearchHit, Snippet } from './store/search.js';
export type { StatsGroup, TrajectoryStats } from './store/stats.js';
export type { ChangeListener, InsertManyResult, SavedId, StoreChange } from './store/store.js';
