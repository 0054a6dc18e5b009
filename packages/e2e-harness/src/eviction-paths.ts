/** The ways an entry can leave a cache. */
export const EVICTION_PATHS = ['size', 'ttl', 'delete', 'overwrite', 'clear'] as const;
export type EvictionPath = (typeof EVICTION_PATHS)[number];
