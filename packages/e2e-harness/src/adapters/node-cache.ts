import type { CacheAdapter } from '../adapter.js';
import type { EvictableClient } from '../kinds/client-kind.js';
import { AdapterError } from '../adapter.js';
import { buildCache, checkLibraryConfig } from './adapter-config.js';
import { DEFAULT_ENTRY_TTL_MS, TTL_ADVANCE_MS, withShiftedClock } from './clocks.js';

/** What the adapter uses of a node-cache (v5) `NodeCache`. */
export interface NodeCacheLike {
  set(key: string, value: EvictableClient, ttlSeconds?: number): boolean;
  get(key: string): unknown;
  del(key: string): number;
  flushAll(): void;
  close(): void;
}

export interface NodeCacheAdapterOptions<TOptions extends object> {
  /** The `NodeCache` class, from the user's own `node-cache` install. */
  NodeCache: new (options: TOptions & { useClones: false; checkperiod: number }) => NodeCacheLike;
  /** The user's options. `useClones` is forced to false: a clone of a client is not the client. Default `{}`. */
  options?: TOptions;
  /** Attaches the user's `del` / `expired` listeners to each fresh cache. */
  listen?(cache: NodeCacheLike): void;
  name?: string;
  shutdown?(cache: NodeCacheLike): unknown;
}

/**
 * Adapter for node-cache 5: ttl (lazy expiry on `get`, with `Date.now()` moved forward), delete,
 * overwrite, clear (`flushAll`). No size path: `maxKeys` rejects new keys instead of evicting.
 * The check-period timer is off unless the options set `checkperiod`.
 */
export function nodeCacheAdapter<TOptions extends object = object>(
  config: NodeCacheAdapterOptions<TOptions>,
): CacheAdapter<NodeCacheLike> {
  checkLibraryConfig(
    'nodeCacheAdapter',
    config,
    { key: 'NodeCache', mustBe: "the NodeCache class (import NodeCache from 'node-cache')" },
    { listen: { type: 'function' } },
  );
  const options = config.options ?? ({} as TOptions);
  if (Reflect.get(options, 'useClones') === true) {
    throw new AdapterError(
      'nodeCacheAdapter: options.useClones must be false or absent; a cloned client is a different object, got true',
    );
  }
  const hasOwnTtl = typeof Reflect.get(options, 'stdTTL') === 'number';
  const checkperiod = Reflect.get(options, 'checkperiod');
  return {
    name: config.name ?? 'node-cache',
    create() {
      const cache = buildCache('nodeCacheAdapter', 'NodeCache', () =>
        new config.NodeCache({ ...options, useClones: false, checkperiod: typeof checkperiod === 'number' ? checkperiod : 0 }),
      );
      config.listen?.(cache);
      return cache;
    },
    set: (cache, key, client) =>
      hasOwnTtl ? cache.set(key, client) : cache.set(key, client, DEFAULT_ENTRY_TTL_MS / 1000),
    get: (cache, key) => cache.get(key),
    evict: {
      ttl: (cache, key) => void withShiftedClock(TTL_ADVANCE_MS, () => cache.get(key)),
      delete: (cache, key) => void cache.del(key),
      overwrite: (cache, key, tools) => void cache.set(key, tools.spareClient()),
      clear: (cache) => cache.flushAll(),
    },
    async shutdown(cache) {
      await config.shutdown?.(cache);
      cache.close();
    },
  };
}
