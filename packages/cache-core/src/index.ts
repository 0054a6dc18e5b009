export { InMemoryCache, type EvictionReason } from './in-memory-cache.js';
export type { InMemoryCacheOptions, SetOptions } from './options.js';
export { ClientCache, type ClientCacheOptions } from './client-cache.js';
export { closeClient } from './close-client.js';
export { reportsClosed } from './is-closed.js';
