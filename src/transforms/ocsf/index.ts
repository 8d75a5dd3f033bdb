export { mapToOcsf } from './map-event.js';
export { OCSF_CLASSES, OCSF_VERSION, classByUid } from './classes.js';
export type { MapContext } from './base.js';
export type { ExportRow, OcsfClassInfo, OcsfEvent } from './types.js';
