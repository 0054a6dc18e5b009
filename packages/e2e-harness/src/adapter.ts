import type { EvictableClient } from './kinds/client-kind.js';
import { describeValue } from '@no-close-on-evict/cache-core/option-checks';
import { EVICTION_PATHS } from './eviction-paths.js';
import type { EvictionPath } from './eviction-paths.js';

/** Help the harness gives evict functions. */
export interface EvictionTools {
  /** A new, unused client of the kind under test: a filler for `size`, the new value for `overwrite`. */
  spareClient(): EvictableClient;
}

/** Makes `cache` evict the entry under `key` by one path. */
export type EvictEntry<TCache> = (cache: TCache, key: string, tools: EvictionTools) => void | Promise<void>;

/**
 * A holder's claim on a cached client, for a cache that closes an evicted client once its last
 * holder lets go (a lease, a ref count): while it is held the cache must not close `client`.
 */
export interface HolderLease {
  /** The client the lease is on: the very object the cache holds under the key. */
  readonly client: unknown;
  /** Ends the lease; the cache may close the client from then on if it was evicted. */
  release(): unknown;
}

/** Connects the harness to one cache implementation. */
export interface CacheAdapter<TCache> {
  /** Shown in reports and test titles. */
  name: string;
  /** A fresh, empty cache. Called once per case. */
  create(): TCache | Promise<TCache>;
  set(cache: TCache, key: string, client: EvictableClient): unknown;
  /** The value cached under `key`, or undefined. */
  get(cache: TCache, key: string): unknown;
  /** One function per eviction path the cache has; the harness checks each path it finds here. */
  evict: Partial<Record<EvictionPath, EvictEntry<TCache>>>;
  /** Ends the cache's life (e.g. closes what is still cached). Closes made here are expected. */
  shutdown?(cache: TCache): unknown;
  /**
   * How a holder borrows the client cached under `key`, for a cache that closes an evicted client
   * once its last holder releases it. When given, every client a scenario uses (the holder's, the
   * re-inserted one) is leased right after `set` and released once the scenario is done with it:
   * a close while a lease is held fails the case, a close after the release is allowed, and the
   * leak probe releases its clients' leases before it counts what they keep open.
   */
  lease?(cache: TCache, key: string): HolderLease | Promise<HolderLease>;
}

/** The adapter, not the cache, is wrong: the message says what to fix. */
export class AdapterError extends TypeError {
  override name = 'AdapterError';
}

/** Throws an AdapterError naming the field and what it should be. */
export function validateAdapter<TCache>(adapter: CacheAdapter<TCache>): void {
  if (typeof adapter !== 'object' || adapter === null) {
    throw new AdapterError(`cache adapter must be an object { name, create, set, get, evict }, got ${describeValue(adapter)}`);
  }
  const label = typeof adapter.name === 'string' && adapter.name !== '' ? `adapter '${adapter.name}'` : 'cache adapter';
  if (typeof adapter.name !== 'string' || adapter.name === '') {
    throw new AdapterError(`${label}: name must be a non-empty string, got ${describeValue(adapter.name)}`);
  }
  const methods = {
    create: '() => cache',
    set: '(cache, key, client) => void',
    get: '(cache, key) => client | undefined',
  } as const;
  for (const [method, shape] of Object.entries(methods)) {
    const value: unknown = Reflect.get(adapter, method);
    if (typeof value !== 'function') {
      throw new AdapterError(`${label}: ${method} must be a function ${shape}, got ${describeValue(value)}`);
    }
  }
  if (adapter.shutdown !== undefined && typeof adapter.shutdown !== 'function') {
    throw new AdapterError(`${label}: shutdown must be a function (cache) => void when given, got ${describeValue(adapter.shutdown)}`);
  }
  if (adapter.lease !== undefined && typeof adapter.lease !== 'function') {
    throw new AdapterError(`${label}: lease must be a function (cache, key) => { client, release } when given, got ${describeValue(adapter.lease)}`);
  }
  const evict: unknown = adapter.evict;
  if (typeof evict !== 'object' || evict === null || Array.isArray(evict)) {
    throw new AdapterError(
      `${label}: evict must be an object with at least one of ${EVICTION_PATHS.join(', ')}, got ${describeValue(evict)}`,
    );
  }
  const paths = Object.keys(evict);
  if (paths.length === 0) {
    throw new AdapterError(`${label}: evict is empty; name at least one path (${EVICTION_PATHS.join(', ')})`);
  }
  for (const path of paths) {
    if (!(EVICTION_PATHS as readonly string[]).includes(path)) {
      throw new AdapterError(`${label}: evict.${path} is not an eviction path; use ${EVICTION_PATHS.join(', ')}`);
    }
    const entry: unknown = Reflect.get(evict, path);
    if (typeof entry !== 'function') {
      throw new AdapterError(
        `${label}: evict.${path} must be a function (cache, key) => void | Promise<void>, got ${describeValue(entry)}`,
      );
    }
  }
}

/** The paths an adapter names, in canonical order. */
export function adapterPaths<TCache>(adapter: CacheAdapter<TCache>): EvictionPath[] {
  return EVICTION_PATHS.filter((path) => adapter.evict[path] !== undefined);
}

/** `lease` (what `adapter.lease` returned) as a HolderLease; an AdapterError when it is not one. */
export function checkedLease<TCache>(adapter: CacheAdapter<TCache>, key: string, lease: unknown): HolderLease {
  if (typeof lease !== 'object' || lease === null || typeof Reflect.get(lease, 'release') !== 'function') {
    throw new AdapterError(`adapter '${adapter.name}': lease(cache, '${key}') must return { client, release() }, got ${describeValue(lease)}`);
  }
  return lease as HolderLease;
}
