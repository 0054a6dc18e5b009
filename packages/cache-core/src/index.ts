export { InMemoryCache, type EvictionReason } from './in-memory-cache.js';
export type { ClientCacheOptions, CloseAllOptions, CloseEvicted, InMemoryCacheOptions, SetOptions } from './options.js';
export { ClientCache } from './client-cache.js';
export type { ClientLease } from './client-lease.js';
export { closeClient } from './close-client.js';
export { reportsClosed } from './is-closed.js';
