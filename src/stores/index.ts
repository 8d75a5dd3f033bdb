export type { ObjectInfo, ObjectLockOptions, ObjectStore, PutOptions, ReplaceOptions, ServerSideEncryption } from '../core/object-store.js';
export { createFsStore, type FsStoreOptions } from './drivers/fs.js';
export { createMemoryStore } from './drivers/memory.js';
export { createS3Store, type S3ObjectStore, type S3StoreOptions } from './drivers/s3.js';
export { openStore, type OpenStoreOptions } from './open-store.js';
