import type { CacheAdapter } from '../adapter.js';
import type { EvictableClient } from '../kinds/client-kind.js';
import { TTL_ADVANCE_MS } from './clocks.js';
import type { ManualClock } from './clocks.js';
import { fillUntilEvicted } from './fill-until-evicted.js';

/** The Map-like surface cache-core's `InMemoryCache` and lru-cache's `LRUCache` share. */
export interface MapLikeCache {
  set(key: string, value: EvictableClient): unknown;
  get(key: string): unknown;
  has(key: string): boolean;
  delete(key: string): boolean;
  clear(): void;
}

/** A cache built on a clock the harness moves, so the ttl path expires entries exactly. */
export interface ClockedCache<TCache> {
  cache: TCache;
  clock: ManualClock;
}

/**
 * Every eviction path of a Map-like cache that takes a clock: size by filler entries, ttl by
 * moving the clock then reading the key (lazy expiry), delete, overwrite, clear.
 */
export function clockedMapEvictions<TCache extends MapLikeCache>(): CacheAdapter<ClockedCache<TCache>>['evict'] {
  return {
    size: ({ cache }, key, tools) =>
      fillUntilEvicted(() => cache.has(key), (filler, client) => void cache.set(filler, client), tools),
    ttl({ cache, clock }, key) {
      clock.advance(TTL_ADVANCE_MS);
      cache.get(key);
    },
    delete: ({ cache }, key) => void cache.delete(key),
    overwrite: ({ cache }, key, tools) => void cache.set(key, tools.spareClient()),
    clear: ({ cache }) => cache.clear(),
  };
}
