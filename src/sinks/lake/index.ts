export { openLake, type OpenLakeOptions, type OpenedLake } from './open-lake.js';
export { DEFAULT_TUNING, type LakeTuning } from './context.js';
export type { Lake, LakeBatch, CommitStats, QueryResult, SourceObjectRef } from '../../core/lake.js';
