import type { CacheAdapter } from '../adapter.js';
import type { EvictableClient } from '../kinds/client-kind.js';
import { DEFAULT_ENTRY_TTL_MS, TTL_ADVANCE_MS, withShiftedClock } from './clocks.js';
import { buildCache, checkLibraryConfig } from './adapter-config.js';
import { fillUntilEvicted } from './fill-until-evicted.js';

/** What the adapter uses of an @isaacs/ttlcache (v2) `TTLCache`. */
export interface TtlCacheLike {
  set(key: string, value: EvictableClient, options?: { ttl?: number }): unknown;
  get(key: string): unknown;
  has(key: string): boolean;
  delete(key: string): boolean;
  clear(): void;
  purgeStale(): void;
  cancelTimer(): void;
}

export interface TtlCacheAdapterOptions<TOptions extends object> {
  /** The `TTLCache` class, from the user's own `@isaacs/ttlcache` install. */
  TTLCache: new (options: TOptions) => TtlCacheLike;
  /** The user's options, `dispose` included; `max` bounds the cache for the size path. Default `{ max: 4 }`. */
  options?: TOptions;
  name?: string;
  shutdown?(cache: TtlCacheLike): unknown;
}

/**
 * Adapter for @isaacs/ttlcache 2. The ttl path runs `purgeStale()` (what its unref'd timer
 * runs) with the clock moved past every TTL, so expiry happens inside the eviction call.
 */
export function ttlCacheAdapter<TOptions extends object = { max: number }>(
  config: TtlCacheAdapterOptions<TOptions>,
): CacheAdapter<TtlCacheLike> {
  checkLibraryConfig('ttlCacheAdapter', config, { key: 'TTLCache', mustBe: "the TTLCache class (import { TTLCache } from '@isaacs/ttlcache')" });
  const options = config.options ?? ({ max: 4 } as TOptions);
  const hasOwnTtl = typeof Reflect.get(options, 'ttl') === 'number';
  return {
    name: config.name ?? '@isaacs/ttlcache',
    create: () => buildCache('ttlCacheAdapter', 'TTLCache', () => new config.TTLCache(options)),
    set: (cache, key, client) => cache.set(key, client, hasOwnTtl ? undefined : { ttl: DEFAULT_ENTRY_TTL_MS }),
    get: (cache, key) => cache.get(key),
    evict: {
      size: (cache, key, tools) =>
        fillUntilEvicted(
          () => cache.has(key),
          (filler, client) => cache.set(filler, client, hasOwnTtl ? undefined : { ttl: DEFAULT_ENTRY_TTL_MS }),
          tools,
        ),
      ttl: (cache) => withShiftedClock(TTL_ADVANCE_MS, () => cache.purgeStale()),
      delete: (cache, key) => void cache.delete(key),
      overwrite: (cache, key, tools) => void cache.set(key, tools.spareClient()),
      clear: (cache) => cache.clear(),
    },
    async shutdown(cache) {
      await config.shutdown?.(cache);
      // Its expiry timers are unref'd, but a finished case should leave none behind.
      cache.cancelTimer();
    },
  };
}
