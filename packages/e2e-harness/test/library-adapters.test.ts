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
  formatCaseResult,
  formatReport,
  inMemoryCacheAdapter,
  lruCacheAdapter,
  lruMinAdapter,
  nodeCacheAdapter,
  quickLruAdapter,
  ttlCacheAdapter,
} from '../src/index.js';
import type { CacheAdapter, EvictableClient, EvictionPath, Report } from '../src/index.js';
import { countingHeldCloses } from './fixtures/held-closes.js';

type Closer = (client: EvictableClient) => void;
const closeIt: Closer = (client) => void client.close?.();
// Deferred past the clock shift of the ttl path: virtual time must still run it, at its due time.
const CLOSE_DELAY_MS = 50;
const closeLater: Closer = (client) => void setTimeout(() => void client.close?.(), CLOSE_DELAY_MS);

function failedPaths(report: Report): EvictionPath[] {
  return [...new Set(report.results.filter((result) => !result.ok).map((result) => result.path))];
}

function paths(report: Report): EvictionPath[] {
  return [...new Set(report.results.map((result) => result.path))];
}

interface LibraryCase {
  library: string;
  safe: CacheAdapter<never>;
  /** The same cache with `close` in its eviction hook. */
  closing: (close: Closer) => CacheAdapter<never>;
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
    closing: (close) => opaque(lruCacheAdapter({ LRUCache, options: { max: 4, dispose: close } })),
    hookPaths: everyPath,
    allPaths: everyPath,
  },
  {
    library: '@isaacs/ttlcache',
    safe: opaque(ttlCacheAdapter({ TTLCache, options: { max: 4, ttl: 60_000 } })),
    closing: (close) => opaque(ttlCacheAdapter({ TTLCache, options: { max: 4, ttl: 60_000, dispose: close } })),
    hookPaths: everyPath,
    allPaths: everyPath,
  },
  {
    library: 'quick-lru',
    safe: opaque(quickLruAdapter({ QuickLRU, options: { maxSize: 2 } })),
    closing: (close) =>
      opaque(
        quickLruAdapter({
          QuickLRU,
          // eslint-disable-next-line no-close-on-evict/no-close-on-evict -- the regression this test feeds the harness
          options: { maxSize: 2, onEviction: (_key: string, client: EvictableClient) => close(client) },
        }),
      ),
    hookPaths: ['size', 'ttl'],
    allPaths: everyPath,
  },
  {
    library: 'lru.min',
    safe: opaque(lruMinAdapter({ createLRU, options: { max: 4 } })),
    closing: (close) =>
      opaque(
        lruMinAdapter({
          createLRU,
          // eslint-disable-next-line no-close-on-evict/no-close-on-evict -- the regression this test feeds the harness
          options: { max: 4, onEviction: (_key: string, client: EvictableClient) => close(client) },
        }),
      ),
    hookPaths: ['size', 'delete', 'overwrite', 'clear'],
    allPaths: ['size', 'delete', 'overwrite', 'clear'],
  },
  {
    library: 'node-cache',
    safe: opaque(nodeCacheAdapter({ NodeCache, options: { stdTTL: 60 } })),
    closing: (close) =>
      opaque(
        nodeCacheAdapter({
          NodeCache,
          options: { stdTTL: 60 },
          listen: (cache) => (cache as NodeCache).on('del', (_key: string, client: EvictableClient) => close(client)),
        }),
      ),
    hookPaths: ['ttl', 'delete'],
    allPaths: ['ttl', 'delete', 'overwrite', 'clear'],
  },
];

describe('ready adapters against the real libraries', () => {
  for (const { library, safe, closing, hookPaths, allPaths } of libraries) {
    it(`${library} without a closing hook passes every path`, async () => {
      const report = await checkEvictionSafety({ cache: safe });
      expect(paths(report)).toEqual(allPaths);
      expect(report.ok).toBe(true);
    });

    it(`${library} with a closing hook fails on the paths that run the hook (${hookPaths.join(', ')})`, async () => {
      const report = await checkEvictionSafety({ cache: closing(closeIt) });
      expect(report.ok).toBe(false);
      expect(failedPaths(report)).toEqual(hookPaths);
      // The eviction is one instant of the case's virtual time.
      for (const close of report.results.flatMap((result) => result.closes)) expect(close.eviction?.msAfter).toBe(0);
    });

    it(`${library} with a hook closing ${CLOSE_DELAY_MS} ms later fails on the same paths, ttl included`, async () => {
      const report = await checkEvictionSafety({ cache: closing(closeLater), clients: ['undici-agent'] });
      expect(failedPaths(report)).toEqual(hookPaths);
      for (const result of report.results.filter((each) => hookPaths.includes(each.path))) {
        expect(result.ok, formatCaseResult(result)).toBe(false);
        expect(result.settle.ended).toBe('close-observed');
        expect(result.closes[0]?.eviction?.msAfter).toBe(CLOSE_DELAY_MS);
        expect(result.closes[0]?.timer).toMatchObject({ msAfter: CLOSE_DELAY_MS, delayMs: CLOSE_DELAY_MS, repeats: false });
      }
    });
  }

  it('lru-cache with noDisposeOnSet closes nothing on overwrite', async () => {
    const report = await checkEvictionSafety({
      cache: lruCacheAdapter({ LRUCache, options: { max: 4, dispose: closeIt, noDisposeOnSet: true } }),
      paths: ['overwrite'],
    });
    expect(report.ok).toBe(true);
  });

  it('lru-cache with ttl and ttlAutopurge: the purge timers armed for every entry run in virtual time and close nothing', async () => {
    const report = await checkEvictionSafety({
      cache: lruCacheAdapter({ LRUCache, options: { max: 4, ttl: 60_000, ttlAutopurge: true } }),
      paths: ['size'],
    });
    expect(report.ok, formatReport(report)).toBe(true);
    for (const result of report.results) {
      expect(result.settle.ended).toBe('idle');
      expect(result.settle.timerRuns).toBeGreaterThan(0);
      // Its entries read the adapter's manual clock, which virtual time does not move: each purge
      // timer finds its entry fresh and re-arms itself, repeating work followed up to the horizon.
      expect(result.settle.pending.length).toBeGreaterThan(0);
      expect(result.settle.pending.every((timer) => timer.reason === 'past-horizon' && timer.delayMs >= 60_000)).toBe(true);
    }
  });
});

/** LiteLLM's regressed LLMClientCache, ported: its one eviction hook closes the client later. */
class DeferredClosingClientCache extends InMemoryCache<EvictableClient> {
  protected override onEvict(_key: string, client: EvictableClient, _reason: EvictionReason): void {
    // eslint-disable-next-line no-close-on-evict/no-close-on-evict -- the regression this test feeds the harness
    setTimeout(() => void client.close?.(), 0);
  }
}

describe('cache-core adapter', () => {
  /** Per case: close() calls on the held client before the adapter's shutdown, and by its end. */
  async function heldClientCloses(base: CacheAdapter<never>): Promise<{ report: Report; closes: [number, number][] }> {
    const { adapter, closes } = countingHeldCloses(base);
    return { report: await checkEvictionSafety({ cache: adapter }), closes };
  }

  it('ClientCache passes every path and closes each held client exactly once, at closeAll', async () => {
    const { report, closes } = await heldClientCloses(opaque(clientCacheAdapter()));
    expect(paths(report)).toEqual(everyPath);
    expect(report.ok).toBe(true);
    expect(closes).toHaveLength(30);
    expect(closes).toEqual(Array.from({ length: 30 }, () => [0, 1]));
  });

  it('a ClientCache given clients with set() does not own them: closeAll leaves them open (negative control)', async () => {
    const setOnly = inMemoryCacheAdapter({
      name: 'ClientCache via set',
      create: ({ clock }) => new ClientCache<EvictableClient>({ maxSize: 4, defaultTtlMs: 60_000, clock }),
    });
    const { report, closes } = await heldClientCloses(opaque(setOnly));
    expect(report.ok).toBe(true);
    expect(closes.every(([before, after]) => before === 0 && after === 0)).toBe(true);
  });

  it('an InMemoryCache subclass closing evicted clients from onEvict fails on every path', async () => {
    const report = await checkEvictionSafety({
      cache: inMemoryCacheAdapter({
        name: 'regressed LLMClientCache',
        create: ({ clock }) => new DeferredClosingClientCache({ maxSize: 4, defaultTtlMs: 3_600_000, clock }),
      }),
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
    });
    expect(report.ok).toBe(true);
    expect(shutdowns).toBe(6);
  });
});
