import type { CacheAdapter } from '../adapter.js';
import type { EvictableClient } from '../kinds/client-kind.js';
import { buildCache, checkLibraryConfig } from './adapter-config.js';
import { clockedMapEvictions } from './clocked-map-cache.js';
import type { ClockedCache, MapLikeCache } from './clocked-map-cache.js';
import { DEFAULT_ENTRY_TTL_MS, ManualClock } from './clocks.js';

/** What the adapter uses of an lru-cache (v11) `LRUCache`. */
export interface LruCacheLike extends MapLikeCache {
  set(key: string, value: EvictableClient, options?: { ttl?: number }): unknown;
}

export interface LruCacheAdapterOptions<TOptions extends object> {
  /** The `LRUCache` class, from the user's own `lru-cache` install. */
  LRUCache: new (options: TOptions & { perf: { now(): number }; ttlResolution: number }) => LruCacheLike;
  /**
   * The user's options, `dispose` included; must bound the cache (`max` or `maxSize`) for the size
   * path. Default `{ max: 4 }`.
   */
  options?: TOptions;
  name?: string;
  shutdown?(cache: LruCacheLike): unknown;
}

type ClockedLru = ClockedCache<LruCacheLike>;

/**
 * Adapter for lru-cache 11. Its TTLs read the injected `perf` clock (lru-cache captures
 * `performance` at load, so fake timers would not expire them), which the ttl path advances.
 */
export function lruCacheAdapter<TOptions extends object = { max: number }>(
  config: LruCacheAdapterOptions<TOptions>,
): CacheAdapter<ClockedLru> {
  checkLibraryConfig('lruCacheAdapter', config, { key: 'LRUCache', mustBe: "the LRUCache class (import { LRUCache } from 'lru-cache')" });
  const options = config.options ?? ({ max: 4 } as TOptions);
  const hasOwnTtl = typeof Reflect.get(options, 'ttl') === 'number';
  return {
    name: config.name ?? 'lru-cache',
    create() {
      const clock = new ManualClock();
      // ttlResolution 0: lru-cache otherwise reuses a clock reading for 1 ms, hiding the advance.
      const cache = buildCache('lruCacheAdapter', 'LRUCache', () =>
        new config.LRUCache({ ...options, perf: { now: clock.now }, ttlResolution: 0 }),
      );
      return { cache, clock };
    },
    set: ({ cache }, key, client) => cache.set(key, client, hasOwnTtl ? undefined : { ttl: DEFAULT_ENTRY_TTL_MS }),
    get: ({ cache }, key) => cache.get(key),
    evict: clockedMapEvictions(),
    ...(config.shutdown && { shutdown: ({ cache }: ClockedLru) => config.shutdown?.(cache) }),
  };
}
