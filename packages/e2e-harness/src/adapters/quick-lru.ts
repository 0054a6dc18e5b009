import type { CacheAdapter } from '../adapter.js';
import type { EvictableClient } from '../kinds/client-kind.js';
import { DEFAULT_ENTRY_TTL_MS, TTL_ADVANCE_MS, withShiftedClock } from './clocks.js';
import { buildCache, checkLibraryConfig } from './adapter-config.js';
import { fillUntilEvicted } from './fill-until-evicted.js';

/** What the adapter uses of a quick-lru (v7) `QuickLRU`. */
export interface QuickLruLike {
  set(key: string, value: EvictableClient, options?: { maxAge?: number }): unknown;
  get(key: string): unknown;
  has(key: string): boolean;
  delete(key: string): boolean;
  clear(): void;
}

export interface QuickLruAdapterOptions<TOptions extends { maxSize: number }> {
  /** The `QuickLRU` class, from the user's own `quick-lru` install. */
  QuickLRU: new (options: TOptions) => QuickLruLike;
  /** The user's options, `onEviction` included. Default `{ maxSize: 2 }`. */
  options?: TOptions;
  name?: string;
  shutdown?(cache: QuickLruLike): unknown;
}

/**
 * Adapter for quick-lru 7. Its `onEviction` runs on overflow and on lazy expiry, not on
 * delete or clear; those paths are still checked. Expiry reads `Date.now()`, which the ttl
 * path moves forward for the duration of one `get`.
 */
export function quickLruAdapter<TOptions extends { maxSize: number } = { maxSize: number }>(
  config: QuickLruAdapterOptions<TOptions>,
): CacheAdapter<QuickLruLike> {
  checkLibraryConfig('quickLruAdapter', config, { key: 'QuickLRU', mustBe: "the QuickLRU class (import QuickLRU from 'quick-lru')" });
  const options = config.options ?? ({ maxSize: 2 } as TOptions);
  const hasOwnMaxAge = typeof Reflect.get(options, 'maxAge') === 'number';
  return {
    name: config.name ?? 'quick-lru',
    create: () => buildCache('quickLruAdapter', 'QuickLRU', () => new config.QuickLRU(options)),
    set: (cache, key, client) => cache.set(key, client, hasOwnMaxAge ? undefined : { maxAge: DEFAULT_ENTRY_TTL_MS }),
    get: (cache, key) => cache.get(key),
    evict: {
      // Overflow first moves entries to an old generation; they leave on the next rotation.
      size: (cache, key, tools) =>
        fillUntilEvicted(() => cache.has(key), (filler, client) => cache.set(filler, client), tools),
      ttl: (cache, key) => void withShiftedClock(TTL_ADVANCE_MS, () => cache.get(key)),
      delete: (cache, key) => void cache.delete(key),
      overwrite: (cache, key, tools) => void cache.set(key, tools.spareClient()),
      clear: (cache) => cache.clear(),
    },
    ...(config.shutdown && { shutdown: (cache: QuickLruLike) => config.shutdown?.(cache) }),
  };
}
