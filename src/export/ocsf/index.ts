export { exportOcsf, type ClassDestination, type ExportOcsfOptions, type ExportSummary } from './export-ocsf.js';
export { EXPORT_FORMATS, classRoot, exportPrefix, partitionPath, type ExportFormat } from './object-key.js';
export { readExportState, stateDirFor, type ExportState } from './export-state.js';
