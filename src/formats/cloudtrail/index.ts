export * from './record.js';
export * from './scan-records.js';
export * from './parse-cloudtrail.js';
export * from './render-cloudtrail.js';
export * from './map-record.js';
export * from './decoder.js';
