/**
 * LiteLLM's end-to-end tests for "never close a client on eviction" (PR #22926), run through the
 * harness's public API against cache-core's ClientCache: real undici Agents and real openai SDK
 * clients over real loopback sockets, every eviction path, exact settle instead of LiteLLM's
 * 0.15 s sleep. Also the lease modes of issue 13, through adapters built from the public API.
 */
import { ClientCache } from '@no-close-on-evict/cache-core';
import type { ClientCacheOptions, ClientLease, EvictionReason } from '@no-close-on-evict/cache-core';
import { describe, expect, it } from 'vitest';
import { checkEvictionSafety, clientCacheAdapter, formatCaseResult, formatReport, inMemoryCacheAdapter } from '../src/index.js';
import type { CacheAdapter, EvictableClient, EvictionPath, Report } from '../src/index.js';

const settleCapMs = 500;
const everyPath: EvictionPath[] = ['size', 'ttl', 'delete', 'overwrite', 'clear'];

function failedPaths(report: Report): EvictionPath[] {
  return [...new Set(report.results.filter((result) => !result.ok).map((result) => result.path))];
}

function expectOk(report: Report): void {
  expect(report.ok, formatReport(report)).toBe(true);
}

/**
 * Wraps an adapter to count, per case, the close() calls the cache makes on the held client
 * before its shutdown and after it (closes the harness's tripwire saw before shutdown fail the
 * case anyway). undici's close() calls itself again internally: only the outer call counts.
 */
function countingHeldCloses<T>(base: CacheAdapter<T>): { adapter: CacheAdapter<T>; closes: [number, number][] } {
  const counted = new WeakMap<object, { calls: number }>();
  const closes: [number, number][] = [];
  const adapter: CacheAdapter<T> = {
    ...base,
    set(cache, key, client) {
      if (!counted.has(cache as object)) {
        const counter = { calls: 0 };
        counted.set(cache as object, counter);
        let depth = 0;
        const close = client.close.bind(client) as (...args: unknown[]) => Promise<void>;
        client.close = (...args: unknown[]) => {
          if (depth++ === 0) counter.calls++;
          try {
            return close(...args);
          } finally {
            depth--;
          }
        };
      }
      return base.set(cache, key, client);
    },
    async shutdown(cache) {
      const before = counted.get(cache as object)?.calls ?? Number.NaN;
      await base.shutdown?.(cache);
      closes.push([before, counted.get(cache as object)?.calls ?? Number.NaN]);
    },
  };
  return { adapter, closes };
}

describe("LiteLLM's end-to-end tests, on ClientCache", () => {
  it('a real undici Agent survives size eviction with a stream in flight, and serves new requests (LiteLLM: size eviction, SSE stream)', async () => {
    const report = await checkEvictionSafety({ cache: clientCacheAdapter(), paths: ['size'], clients: ['undici-agent'], settleCapMs });
    expectOk(report);
    expect(report.results.map((result) => result.scenario)).toEqual(['stream-in-flight', 'holder-request-after-eviction', 'reinsert-after-eviction']);
  });

  it('a real openai SDK client survives eviction by a filler and TTL expiry through get, streaming included (LiteLLM: AsyncOpenAI)', async () => {
    const report = await checkEvictionSafety({ cache: clientCacheAdapter(), paths: ['size', 'ttl'], clients: ['openai'], settleCapMs });
    expectOk(report);
    expect(report.results).toHaveLength(6);
  });

  it('both client kinds survive every path, settled exactly, and each held client is closed once, at closeAll (LiteLLM: owned clients)', async () => {
    const { adapter, closes } = countingHeldCloses(clientCacheAdapter());
    const report = await checkEvictionSafety({ cache: adapter, settleCapMs });
    expectOk(report);
    expect(failedPaths(report)).toEqual([]);
    expect(new Set(report.results.map((result) => result.path))).toEqual(new Set(everyPath));
    expect(closes).toEqual(Array.from({ length: 30 }, () => [0, 1]));
  });

  it('TTL expiry through evictExpired(), the counterpart of evict_cache(), closes nothing', async () => {
    const base = clientCacheAdapter();
    const ttl: NonNullable<typeof base.evict.ttl> = ({ cache, clock }) => {
      clock.advance(3_600_000);
      expect(cache.evictExpired()).toBe(1);
    };
    const report = await checkEvictionSafety({ cache: { ...base, name: 'ClientCache, ttl by evictExpired()', evict: { ttl } }, settleCapMs });
    expectOk(report);
    expect(report.results).toHaveLength(6);
  });

  it('caller-supplied clients (set) are never closed: not by eviction, not by closeAll', async () => {
    const supplied = inMemoryCacheAdapter({
      name: 'ClientCache, clients given with set()',
      create: ({ clock }) => new ClientCache<EvictableClient>({ maxSize: 4, defaultTtlMs: 60_000, clock }),
    });
    const { adapter, closes } = countingHeldCloses(supplied);
    const report = await checkEvictionSafety({ cache: adapter, settleCapMs });
    expectOk(report);
    expect(closes).toEqual(Array.from({ length: 30 }, () => [0, 0]));
  });

  it('negative control: the LiteLLM regression (a close deferred like create_task in the eviction hook) fails every path', async () => {
    class ClosingOnEvict extends ClientCache<EvictableClient> {
      protected override onEvict(_key: string, client: EvictableClient, _reason: EvictionReason): void {
        // eslint-disable-next-line no-close-on-evict/no-close-on-evict -- the regression these tests must detect
        setImmediate(() => void client.close().catch(() => undefined));
      }
    }
    const report = await checkEvictionSafety({
      cache: inMemoryCacheAdapter({ name: 'regressed ClientCache', create: ({ clock }) => new ClosingOnEvict({ maxSize: 4, defaultTtlMs: 60_000, clock }) }),
      settleCapMs,
    });
    expect(failedPaths(report)).toEqual(everyPath);
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      expect(result.closes[0]).toMatchObject({ client: 'held client', verb: 'close', eviction: { key: 'client-under-test', path: result.path } });
    }
  });
});

/** A ClientCache adapter whose `set` leases the client; `holdLease` says whether the holder keeps the lease. */
function leasingAdapter(name: string, options: ClientCacheOptions<EvictableClient>, holdLease: boolean): CacheAdapter<never> {
  const leases: ClientLease<EvictableClient>[] = [];
  const base = inMemoryCacheAdapter({
    name,
    create: ({ clock }) => new ClientCache<EvictableClient>({ maxSize: 4, defaultTtlMs: 60_000, ...options, clock }),
    shutdown: async (cache) => {
      for (const lease of leases.splice(0)) lease.release();
      await cache.closeAll({ timeoutMs: settleCapMs });
    },
  });
  const adapter: typeof base = {
    ...base,
    // As clientCacheAdapter does: a key already cached (the overwrite path's spare) is set over.
    set: ({ cache }, key, client) => {
      if (cache.has(key)) cache.set(key, client);
      const lease = cache.lease(key, () => client);
      if (holdLease) leases.push(lease);
      else lease.release();
    },
    // A lease, released at once, reads the client without marking it as handed out unleased.
    get: ({ cache }, key) => {
      if (!cache.has(key)) return undefined;
      const peek = cache.lease(key, () => {
        throw new Error('unreachable: the key is cached');
      });
      peek.release();
      return peek.client;
    },
  };
  return adapter as unknown as CacheAdapter<never>;
}

describe("closeEvicted: 'when-released' (issue 13)", () => {
  it('clients handed out by getOrCreate are closed at shutdown only, so every path passes', async () => {
    const report = await checkEvictionSafety({ cache: clientCacheAdapter({ closeEvicted: 'when-released' }), settleCapMs });
    expectOk(report);
  });

  it('a holder that keeps its lease is never closed under it, on any path', async () => {
    const { adapter, closes } = countingHeldCloses(leasingAdapter('when-released, lease held', { closeEvicted: 'when-released' }, true));
    const report = await checkEvictionSafety({ cache: adapter, settleCapMs });
    expectOk(report);
    expect(closes).toEqual(Array.from({ length: 30 }, () => [0, 1]));
  });

  it('a holder that released its lease before eviction loses the client on every path: holders must hold a lease', async () => {
    const report = await checkEvictionSafety({
      cache: leasingAdapter('when-released, lease released early', { closeEvicted: 'when-released' }, false),
      clients: ['undici-agent'],
      scenarios: ['holder-request-after-eviction'],
      settleCapMs,
    });
    expect(failedPaths(report)).toEqual(everyPath);
    for (const result of report.results) expect(result.error?.kind, formatCaseResult(result)).toMatch(/^client-(closed|destroyed)$/);
  });

  it('control: the same early release in the default mode closes nothing before shutdown', async () => {
    const report = await checkEvictionSafety({
      cache: leasingAdapter('at-shutdown, lease released early', {}, false),
      clients: ['undici-agent'],
      scenarios: ['holder-request-after-eviction'],
      settleCapMs,
    });
    expectOk(report);
  });
});
