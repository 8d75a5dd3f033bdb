export type { Quarantine, QuarantineEntry, QuarantineWriter } from './types.js';
export { createQuarantine, QUARANTINE_ENTRIES_PER_OBJECT, QUARANTINE_RAW_LIMIT } from './quarantine.js';
export { quarantineFileName } from './file-name.js';
