/** The caches compared, behind one tiny interface so the replay loop is the same for all. */
import { TTLCache } from '@isaacs/ttlcache';
import { LRUCache } from 'lru-cache';
import { ClientCache, InMemoryCache } from '../dist/index.js';
import type { Workload } from './workloads.js';

export interface BenchCache {
  get(key: string): unknown;
  set(key: string, value: object, ttlMs: number | undefined): void;
}

/** A clock the replay loop moves by `msPerOp` before each operation. */
export interface ManualClock {
  now: number;
}

export interface Peer {
  readonly name: string;
  /** `clock` is given for same-clock runs; without it each cache reads time its default way. */
  create(workload: Workload, clock: ManualClock | undefined): BenchCache;
}

const withTtl = (ttlMs: number | undefined) => (ttlMs === undefined ? undefined : { ttlMs });
const manual = (clock: ManualClock | undefined) => (clock === undefined ? undefined : () => clock.now);

export const IN_MEMORY_CACHE: Peer = {
  name: 'InMemoryCache',
  create: ({ maxSize, defaultTtlMs }, clock) => {
    const cache = new InMemoryCache<object>({ maxSize, defaultTtlMs, ...(clock && { clock: manual(clock) }) });
    return { get: (key) => cache.get(key), set: (key, value, ttlMs) => cache.set(key, value, withTtl(ttlMs)) };
  },
};

/** The same store behind ClientCache's get (closed-client check) and set (ownership lookup). */
export const CLIENT_CACHE: Peer = {
  name: 'ClientCache',
  create: ({ maxSize, defaultTtlMs }, clock) => {
    const cache = new ClientCache<object>({ maxSize, defaultTtlMs, ...(clock && { clock: manual(clock) }) });
    return { get: (key) => cache.get(key), set: (key, value, ttlMs) => cache.set(key, value, withTtl(ttlMs)) };
  },
};

/** A fresh clock reading on every operation: compare with lru-cache at ttlResolution 0. */
export const IN_MEMORY_CACHE_EXACT: Peer = {
  name: 'InMemoryCache (clock read every op)',
  create: ({ maxSize, defaultTtlMs }) => {
    const cache = new InMemoryCache<object>({ maxSize, defaultTtlMs, clock: () => performance.now() });
    return { get: (key) => cache.get(key), set: (key, value, ttlMs) => cache.set(key, value, withTtl(ttlMs)) };
  },
};

/** lru-cache with a TTL; with a manual clock it reads it through `perf` on every operation (ttlResolution 0). */
export const LRU_CACHE: Peer = {
  name: 'lru-cache (ttl)',
  create: ({ maxSize, defaultTtlMs }, clock) => {
    const cache = new LRUCache<string, object>({
      max: maxSize,
      ttl: defaultTtlMs,
      ...(clock && { ttlResolution: 0, perf: { now: () => clock.now } }),
    });
    return { get: (key) => cache.get(key), set: (key, value, ttl) => void cache.set(key, value, { ttl }) };
  },
};

/** lru-cache normally reads the clock at most once per ms (ttlResolution: 1); this row reads it on every operation. */
export const LRU_CACHE_EXACT: Peer = {
  name: 'lru-cache (ttl, ttlResolution 0)',
  create: ({ maxSize, defaultTtlMs }) => {
    const cache = new LRUCache<string, object>({ max: maxSize, ttl: defaultTtlMs, ttlResolution: 0 });
    return { get: (key) => cache.get(key), set: (key, value, ttl) => void cache.set(key, value, { ttl }) };
  },
};

/** Takes no clock option: real time only, and `checkAgeOnGet` so it never returns an expired entry either. */
export const TTL_CACHE: Peer = {
  name: '@isaacs/ttlcache',
  create: ({ maxSize, defaultTtlMs }) => {
    const cache = new TTLCache<string, object>({ max: maxSize, ttl: defaultTtlMs, checkAgeOnGet: true });
    return { get: (key) => cache.get(key), set: (key, value, ttl) => void cache.set(key, value, { ttl }) };
  },
};

/**
 * The floor for the scaling rows: a bare `Map` bounded by dropping its oldest insertion, with no
 * TTL and no eviction order to keep. What it loses from 1e3 to 1e6 entries is the cost of memory
 * alone (random access over more entries than the CPU caches hold), which no cache can avoid.
 */
export const BARE_MAP: Peer = {
  name: 'bare Map',
  create: ({ maxSize }) => {
    const map = new Map<string, object>();
    return {
      get: (key) => map.get(key),
      set: (key, value) => {
        if (!map.has(key) && map.size >= maxSize) map.delete(map.keys().next().value as string);
        map.set(key, value);
      },
    };
  },
};
