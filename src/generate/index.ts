export * from './types.js';
export * from './generate.js';
export * from './prng.js';
export { AUDIT_LOGGING_EVENTS } from './cloudtrail-sim.js';
export { isAfterHours, SERVICE_USERS } from './cluster-sim.js';
