export * from '../../core/redact/redact-secrets.js';
export * from '../../core/redact/redact-json.js';
export { isRemovedMarker } from '../../core/redact/secret-keys.js';
