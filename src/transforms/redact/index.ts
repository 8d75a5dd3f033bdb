export * from './redact-secrets.js';
export * from './redact-json.js';
export { isRemovedMarker } from './secret-keys.js';
