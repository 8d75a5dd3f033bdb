export * from './parse-object-key.js';
export * from './render-key.js';
