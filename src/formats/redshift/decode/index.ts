export { createConnectionLogDecoder } from './connection-log-decoder.js';
export { createUserLogDecoder } from './user-log-decoder.js';
export { createActivityLogDecoder } from './activity-log-decoder.js';
