/** The caches compared, behind one tiny interface so the replay loop is the same for all. */
import { TTLCache } from '@isaacs/ttlcache';
import { LRUCache } from 'lru-cache';
import { InMemoryCache } from '../src/index.js';
import type { Workload } from './workloads.js';

export interface BenchCache {
  get(key: string): unknown;
  set(key: string, value: object, ttlMs: number | undefined): void;
}

export interface Peer {
  readonly name: string;
  create(workload: Workload): BenchCache;
}

// Every peer reads time from performance.now(): ours by default, lru-cache through its default
// `perf`, @isaacs/ttlcache internally (it takes no clock option). By default both ours and
// lru-cache debounce that read (once per synchronous run / once per ms); the "every op" rows don't.
export const PEERS: readonly Peer[] = [
  {
    name: 'InMemoryCache',
    create: ({ maxSize, defaultTtlMs }) => {
      const cache = new InMemoryCache<object>({ maxSize, defaultTtlMs });
      return {
        get: (key) => cache.get(key),
        set: (key, value, ttlMs) => cache.set(key, value, ttlMs === undefined ? undefined : { ttlMs }),
      };
    },
  },
  {
    // A fresh clock reading on every operation: compare with lru-cache at ttlResolution 0.
    name: 'InMemoryCache (clock read every op)',
    create: ({ maxSize, defaultTtlMs }) => {
      const cache = new InMemoryCache<object>({ maxSize, defaultTtlMs, clock: () => performance.now() });
      return {
        get: (key) => cache.get(key),
        set: (key, value, ttlMs) => cache.set(key, value, ttlMs === undefined ? undefined : { ttlMs }),
      };
    },
  },
  {
    name: 'lru-cache (ttl)',
    create: ({ maxSize, defaultTtlMs }) => {
      const cache = new LRUCache<string, object>({ max: maxSize, ttl: defaultTtlMs });
      return { get: (key) => cache.get(key), set: (key, value, ttl) => void cache.set(key, value, { ttl }) };
    },
  },
  {
    // lru-cache normally reads the clock at most once per ms (ttlResolution: 1); this row reads it
    // on every operation, as InMemoryCache does.
    name: 'lru-cache (ttl, ttlResolution 0)',
    create: ({ maxSize, defaultTtlMs }) => {
      const cache = new LRUCache<string, object>({ max: maxSize, ttl: defaultTtlMs, ttlResolution: 0 });
      return { get: (key) => cache.get(key), set: (key, value, ttl) => void cache.set(key, value, { ttl }) };
    },
  },
  {
    name: '@isaacs/ttlcache',
    create: ({ maxSize, defaultTtlMs }) => {
      const cache = new TTLCache<string, object>({ max: maxSize, ttl: defaultTtlMs, checkAgeOnGet: true });
      return { get: (key) => cache.get(key), set: (key, value, ttl) => void cache.set(key, value, { ttl }) };
    },
  },
];

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
