import type { CacheAdapter } from '../adapter.js';
import type { EvictableClient } from '../kinds/client-kind.js';
import { buildCache, checkLibraryConfig } from './adapter-config.js';
import { fillUntilEvicted } from './fill-until-evicted.js';

/** What the adapter uses of an lru.min (v1) cache. */
export interface LruMinLike {
  set(key: string, value: EvictableClient): unknown;
  get(key: string): unknown;
  has(key: string): boolean;
  delete(key: string): boolean;
  clear(): unknown;
}

export interface LruMinAdapterOptions<TOptions extends { max: number }> {
  /** `createLRU`, from the user's own `lru.min` install. */
  createLRU: (options: TOptions) => LruMinLike;
  /** The user's options, `onEviction` included. Default `{ max: 4 }`. */
  options?: TOptions;
  name?: string;
  shutdown?(cache: LruMinLike): unknown;
}

/** Adapter for lru.min 1: size, delete, overwrite, clear (it has no TTL). */
export function lruMinAdapter<TOptions extends { max: number } = { max: number }>(
  config: LruMinAdapterOptions<TOptions>,
): CacheAdapter<LruMinLike> {
  checkLibraryConfig('lruMinAdapter', config, { key: 'createLRU', mustBe: "lru.min's createLRU (import { createLRU } from 'lru.min')" });
  const options = config.options ?? ({ max: 4 } as TOptions);
  return {
    name: config.name ?? 'lru.min',
    create: () => buildCache('lruMinAdapter', 'createLRU', () => config.createLRU(options)),
    set: (cache, key, client) => cache.set(key, client),
    get: (cache, key) => cache.get(key),
    evict: {
      size: (cache, key, tools) =>
        fillUntilEvicted(() => cache.has(key), (filler, client) => cache.set(filler, client), tools),
      delete: (cache, key) => void cache.delete(key),
      overwrite: (cache, key, tools) => void cache.set(key, tools.spareClient()),
      clear: (cache) => void cache.clear(),
    },
    ...(config.shutdown && { shutdown: (cache: LruMinLike) => config.shutdown?.(cache) }),
  };
}
