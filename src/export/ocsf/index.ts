export { exportOcsf, type ExportOcsfOptions, type ExportSummary } from './export-ocsf.js';
export { EXPORT_FORMATS, exportPrefix, type ExportFormat } from './object-key.js';
export { stateDirFor } from './export-state.js';
