import { TTLCache } from '@isaacs/ttlcache';
import { ClientCache, InMemoryCache } from '@no-close-on-evict/cache-core';
import type { EvictionReason } from '@no-close-on-evict/cache-core';
import { LRUCache } from 'lru-cache';
import { createLRU } from 'lru.min';
import NodeCache from 'node-cache';
import QuickLRU from 'quick-lru';
import { describe, expect, it } from 'vitest';
import {
  checkEvictionSafety,
  clientCacheAdapter,
  inMemoryCacheAdapter,
  lruCacheAdapter,
  lruMinAdapter,
  nodeCacheAdapter,
  quickLruAdapter,
  ttlCacheAdapter,
} from '../src/index.js';
import type { CacheAdapter, EvictableClient, EvictionPath, Report } from '../src/index.js';

const settleCapMs = 500;
const closeIt = (client: EvictableClient) => void client.close();

function failedPaths(report: Report): EvictionPath[] {
  return [...new Set(report.results.filter((result) => !result.ok).map((result) => result.path))];
}

function paths(report: Report): EvictionPath[] {
  return [...new Set(report.results.map((result) => result.path))];
}

interface LibraryCase {
  library: string;
  safe: CacheAdapter<never>;
  closing: CacheAdapter<never>;
  /** Paths on which the library calls its eviction hook. */
  hookPaths: EvictionPath[];
  allPaths: EvictionPath[];
}

const everyPath: EvictionPath[] = ['size', 'ttl', 'delete', 'overwrite', 'clear'];

// The adapters are generic in the cache type; the table only needs them as opaque adapters.
const opaque = <T,>(adapter: CacheAdapter<T>) => adapter as unknown as CacheAdapter<never>;

const libraries: LibraryCase[] = [
  {
    library: 'lru-cache',
    safe: opaque(lruCacheAdapter({ LRUCache, options: { max: 4 } })),
    closing: opaque(lruCacheAdapter({ LRUCache, options: { max: 4, dispose: closeIt } })),
    hookPaths: everyPath,
    allPaths: everyPath,
  },
  {
    library: '@isaacs/ttlcache',
    safe: opaque(ttlCacheAdapter({ TTLCache, options: { max: 4, ttl: 60_000 } })),
    closing: opaque(ttlCacheAdapter({ TTLCache, options: { max: 4, ttl: 60_000, dispose: closeIt } })),
    hookPaths: everyPath,
    allPaths: everyPath,
  },
  {
    library: 'quick-lru',
    safe: opaque(quickLruAdapter({ QuickLRU, options: { maxSize: 2 } })),
    closing: opaque(
      quickLruAdapter({
        QuickLRU,
        // eslint-disable-next-line no-close-on-evict/no-close-on-evict -- the regression this test feeds the harness
        options: { maxSize: 2, onEviction: (_key: string, client: EvictableClient) => closeIt(client) },
      }),
    ),
    hookPaths: ['size', 'ttl'],
    allPaths: everyPath,
  },
  {
    library: 'lru.min',
    safe: opaque(lruMinAdapter({ createLRU, options: { max: 4 } })),
    closing: opaque(
      lruMinAdapter({
        createLRU,
        // eslint-disable-next-line no-close-on-evict/no-close-on-evict -- the regression this test feeds the harness
        options: { max: 4, onEviction: (_key: string, client: EvictableClient) => closeIt(client) },
      }),
    ),
    hookPaths: ['size', 'delete', 'overwrite', 'clear'],
    allPaths: ['size', 'delete', 'overwrite', 'clear'],
  },
  {
    library: 'node-cache',
    safe: opaque(nodeCacheAdapter({ NodeCache, options: { stdTTL: 60 } })),
    closing: opaque(
      nodeCacheAdapter({
        NodeCache,
        options: { stdTTL: 60 },
        listen: (cache) => (cache as NodeCache).on('del', (_key: string, client: EvictableClient) => closeIt(client)),
      }),
    ),
    hookPaths: ['ttl', 'delete'],
    allPaths: ['ttl', 'delete', 'overwrite', 'clear'],
  },
];

describe('ready adapters against the real libraries', () => {
  for (const { library, safe, closing, hookPaths, allPaths } of libraries) {
    it(`${library} without a closing hook passes every path`, async () => {
      const report = await checkEvictionSafety({ cache: safe, settleCapMs });
      expect(paths(report)).toEqual(allPaths);
      expect(report.ok).toBe(true);
    });

    it(`${library} with a closing hook fails on the paths that run the hook (${hookPaths.join(', ')})`, async () => {
      const report = await checkEvictionSafety({ cache: closing, settleCapMs });
      expect(report.ok).toBe(false);
      expect(failedPaths(report)).toEqual(hookPaths);
    });
  }

  it('lru-cache with noDisposeOnSet closes nothing on overwrite', async () => {
    const report = await checkEvictionSafety({
      cache: lruCacheAdapter({ LRUCache, options: { max: 4, dispose: closeIt, noDisposeOnSet: true } }),
      paths: ['overwrite'],
      settleCapMs,
    });
    expect(report.ok).toBe(true);
  });

  it('lru-cache with ttl and ttlAutopurge: the purge timers armed for fillers are reported, not awaited', async () => {
    const report = await checkEvictionSafety({
      cache: lruCacheAdapter({ LRUCache, options: { max: 4, ttl: 60_000, ttlAutopurge: true } }),
      paths: ['size'],
      settleCapMs,
    });
    expect(report.ok).toBe(true);
    for (const result of report.results) {
      const purgeTimers = result.settle.pending.filter((pending) => (pending.delayMs ?? 0) >= 60_000);
      expect(purgeTimers.length).toBeGreaterThan(0);
      expect(result.settle.waitedMs).toBeLessThan(settleCapMs);
    }
  });
});

/** LiteLLM's regressed LLMClientCache, ported: its one eviction hook closes the client later. */
class DeferredClosingClientCache extends InMemoryCache<EvictableClient> {
  protected override onEvict(_key: string, client: EvictableClient, _reason: EvictionReason): void {
    // eslint-disable-next-line no-close-on-evict/no-close-on-evict -- the regression this test feeds the harness
    setTimeout(() => void client.close(), 0);
  }
}

describe('cache-core adapter', () => {
  it("ClientCache passes every path, closing clients only at closeAll", async () => {
    const report = await checkEvictionSafety({ cache: clientCacheAdapter(), settleCapMs });
    expect(paths(report)).toEqual(everyPath);
    expect(report.ok).toBe(true);
  });

  it('an InMemoryCache subclass closing evicted clients from onEvict fails on every path', async () => {
    const report = await checkEvictionSafety({
      cache: inMemoryCacheAdapter({
        name: 'regressed LLMClientCache',
        create: ({ clock }) => new DeferredClosingClientCache({ maxSize: 4, defaultTtlMs: 3_600_000, clock }),
      }),
      settleCapMs,
    });
    expect(failedPaths(report)).toEqual(everyPath);
    expect(report.results.every((result) => !result.ok)).toBe(true);
  });

  it('shutdown defaults to closeAll, and a custom one replaces it', async () => {
    let shutdowns = 0;
    const report = await checkEvictionSafety({
      cache: inMemoryCacheAdapter({
        name: 'ClientCache with a custom shutdown',
        create: ({ clock }) => new ClientCache<EvictableClient>({ maxSize: 4, defaultTtlMs: 1000, clock }),
        shutdown: async (cache) => {
          shutdowns++;
          await cache.closeAll();
        },
      }),
      paths: ['delete'],
      settleCapMs,
    });
    expect(report.ok).toBe(true);
    expect(shutdowns).toBe(6);
  });
});
