/** Everything a caller may name, shared by the browser and Node entries. */
export { TrajectoryStoreError, type ErrorCode, type Issue } from './errors.js';
export type { OpenOptions, StorageKind, StoreInfo, StoreRole, TrajectoryStore } from './contract/store.js';
export type {
  HandleOutcome,
  HudRecorder,
  HudRecorderOptions,
  RecordedSessionKind,
  RecordedSessionStatus,
  RecordedSessionView,
  RecorderErrorContext,
  RecorderStats,
} from './recorder/types.js';
export type { HudMessage, HudMessageType, TestGenMessage, AtifMessage } from './schema/hud.js';
export type { AtifTrajectory, AtifStep } from './schema/atif.js';
export type { TestGenData, TestGenTest, TestGenReflection, TestGenStatus } from './schema/testgen.js';
export type { TrajectoryStatus } from './schema/status.js';
export type {
  ExportFormat,
  ExportOptions,
  ImportFormat,
  ImportInput,
  ImportOptions,
  ImportTrajectoriesOptions,
  InsertManyOptions,
  InsertOptions,
  OnConflict,
  OrderBy,
  ProgressListener,
  Selection,
  SnapshotOptions,
  TrajectoryFilter,
  TrajectoryQuery,
} from './schema/query.js';
export type {
  ChangeListener,
  ImportResult,
  InsertManyResult,
  Page,
  SavedId,
  SaveOutcome,
  SaveResult,
  SearchHit,
  Snippet,
  StatsGroup,
  StoreChange,
  StoredTrajectory,
  TrajectoryStats,
  TrajectorySummary,
} from './contract/results.js';
export type { CompareBatchesOptions, PairBy } from './schema/compare.js';
export type { SyncBatchOptions, SyncOptions, SyncProgress, SyncTarget } from './schema/sync.js';
export type {
  SyncBatch,
  SyncReport,
  SyncTargetStatus,
  TeamHit,
  TeamOutcome,
  TeamSummary,
  TeamTrajectory,
} from './contract/sync.js';
export type {
  AlignmentCounts,
  AlignmentOp,
  ArgumentChange,
  AtifComparison,
  BatchComparison,
  BatchPair,
  BatchSide,
  BatchSideTotals,
  CategoryComparison,
  Divergence,
  PairChange,
  RunDelta,
  RunTotals,
  SessionTotals,
  StepAlignment,
  StepBrief,
  TestAlignment,
  TestBrief,
  TestgenComparison,
  ToolCallChange,
  ToolUsage,
  TrajectoryComparison,
} from './contract/compare.js';
