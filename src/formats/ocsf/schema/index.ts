export { assertValidOcsf, createOcsfValidator, type OcsfValidator } from './validator.js';
export { classJsonSchema, objectDefs, type JsonSchema } from './to-json-schema.js';
export { defaultSchemaDir, loadSchemaSource } from './load-schema.js';
export { resolveClass, resolveObject } from './resolve.js';
