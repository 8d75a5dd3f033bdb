export { ingest, type IngestOptions, type BatchLimits } from './ingest.js';
export { formatSummary, type IngestProgress, type IngestSummary } from './summary.js';
export { createProgressReporter, type ProgressReporter } from './progress-reporter.js';
export type { EvidenceSink } from '../core/evidence-sink.js';
