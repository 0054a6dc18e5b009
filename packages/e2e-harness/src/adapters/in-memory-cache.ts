import { ClientCache } from '@no-close-on-evict/cache-core';
import type { ClientCacheOptions } from '@no-close-on-evict/cache-core';
import type { CacheAdapter } from '../adapter.js';
import type { EvictableClient } from '../kinds/client-kind.js';
import { checkAdapterConfig } from './adapter-config.js';
import { clockedMapEvictions } from './clocked-map-cache.js';
import type { ClockedCache, MapLikeCache } from './clocked-map-cache.js';
import { ManualClock } from './clocks.js';

/** What the adapter uses of an `InMemoryCache` (cache-core) or any subclass of it. */
export interface InMemoryCacheLike extends MapLikeCache {
  closeAll?(): Promise<void>;
}

export interface InMemoryCacheAdapterOptions<TCache extends InMemoryCacheLike> {
  name: string;
  /** Builds a fresh cache; pass `clock` as its `clock` option so the ttl path can expire entries. */
  create(context: { clock: () => number }): TCache;
  /** Ends the cache. Default: `closeAll()` when the cache has it. */
  shutdown?(cache: TCache): unknown;
}

/**
 * Adapter for cache-core's `InMemoryCache` and its subclasses: size by filler entries, ttl by
 * moving the harness clock then reading the key (lazy expiry), delete, overwrite, clear.
 */
export function inMemoryCacheAdapter<TCache extends InMemoryCacheLike>(
  options: InMemoryCacheAdapterOptions<TCache>,
): CacheAdapter<ClockedCache<TCache>> {
  checkAdapterConfig('inMemoryCacheAdapter', options, {
    name: { type: 'string', required: true },
    create: { type: 'function', required: true, mustBe: 'a function ({ clock }) => cache' },
    shutdown: { type: 'function' },
  });
  return {
    name: options.name,
    create() {
      const clock = new ManualClock();
      return { cache: options.create({ clock: clock.now }), clock };
    },
    set: ({ cache }, key, client) => cache.set(key, client),
    get: ({ cache }, key) => cache.get(key),
    evict: clockedMapEvictions(),
    shutdown: ({ cache }) => (options.shutdown ? options.shutdown(cache) : cache.closeAll?.()),
  };
}

/** Options of cache-core's `ClientCache` except the clock, which the harness supplies. */
export type ClientCacheAdapterOptions = Omit<ClientCacheOptions<EvictableClient>, 'clock'>;

/**
 * cache-core's `ClientCache` (default `maxSize: 4`, `defaultTtlMs: 60_000`), shut down by
 * `closeAll()`. Clients go in as an app's do, so the cache owns them and closes them at shutdown,
 * evicted ones included; a client set over a cached one is the app's.
 *
 * With `closeEvicted: 'when-released'` the cache closes an evicted client once its last lease is
 * released, so holders hold leases: clients go in by `lease(key, factory)` (released at once: the
 * entry keeps the client), the adapter's `lease` is `cache.lease`, and `get` reads the client
 * through a lease released at once (a plain `get` would mark it as held without a lease, which
 * such a cache only closes at shutdown). Otherwise clients go in by `getOrCreate`.
 */
export function clientCacheAdapter(options: ClientCacheAdapterOptions = {}): CacheAdapter<ClockedCache<ClientCache<EvictableClient>>> {
  checkAdapterConfig('clientCacheAdapter', { options }, { options: { type: 'object' } });
  const adapter = inMemoryCacheAdapter({
    name: 'cache-core ClientCache',
    create: ({ clock }) => new ClientCache<EvictableClient>({ maxSize: 4, defaultTtlMs: 60_000, ...options, clock }),
  });
  if (options.closeEvicted !== 'when-released') {
    return {
      ...adapter,
      set: ({ cache }, key, client) => (cache.has(key) ? cache.set(key, client) : cache.getOrCreate(key, () => client)),
    };
  }
  const notCached = (key: string) => (): never => {
    throw new Error(`clientCacheAdapter: no client is cached under ${JSON.stringify(key)}`);
  };
  return {
    ...adapter,
    name: "cache-core ClientCache (closeEvicted: 'when-released')",
    set: ({ cache }, key, client) => (cache.has(key) ? cache.set(key, client) : cache.lease(key, () => client).release()),
    get({ cache }, key) {
      if (!cache.has(key)) return undefined;
      const lease = cache.lease(key, notCached(key));
      lease.release();
      return lease.client;
    },
    lease: ({ cache }, key) => cache.lease(key, notCached(key)),
  };
}
