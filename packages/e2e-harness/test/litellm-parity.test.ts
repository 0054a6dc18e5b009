/**
 * LiteLLM's end-to-end tests for "never close a client on eviction" (PR #22926), run through the
 * harness's public API against cache-core's ClientCache: real undici Agents and real openai SDK
 * clients over real loopback sockets, every eviction path, exact settle instead of LiteLLM's
 * 0.15 s sleep (virtual time runs every close the eviction scheduled, at any delay). The lease
 * mode of issue 13 is proven in leases.test.ts.
 */
import { ClientCache } from '@no-close-on-evict/cache-core';
import type { EvictionReason } from '@no-close-on-evict/cache-core';
import { describe, expect, it } from 'vitest';
import { checkEvictionSafety, clientCacheAdapter, formatCaseResult, formatReport, inMemoryCacheAdapter } from '../src/index.js';
import type { EvictableClient, EvictionPath, Report } from '../src/index.js';
import { countingHeldCloses } from './fixtures/held-closes.js';

const everyPath: EvictionPath[] = ['size', 'ttl', 'delete', 'overwrite', 'clear'];

function failedPaths(report: Report): EvictionPath[] {
  return [...new Set(report.results.filter((result) => !result.ok).map((result) => result.path))];
}

function expectOk(report: Report): void {
  expect(report.ok, formatReport(report)).toBe(true);
}

describe("LiteLLM's end-to-end tests, on ClientCache", () => {
  it('a real undici Agent survives size eviction with a stream in flight, and serves new requests (LiteLLM: size eviction, SSE stream)', async () => {
    const report = await checkEvictionSafety({ cache: clientCacheAdapter(), paths: ['size'], clients: ['undici-agent'] });
    expectOk(report);
    expect(report.results.map((result) => result.scenario)).toEqual(['stream-in-flight', 'holder-request-after-eviction', 'reinsert-after-eviction']);
  });

  it('a real openai SDK client survives eviction by a filler and TTL expiry through get, streaming included (LiteLLM: AsyncOpenAI)', async () => {
    const report = await checkEvictionSafety({ cache: clientCacheAdapter(), paths: ['size', 'ttl'], clients: ['openai'] });
    expectOk(report);
    expect(report.results).toHaveLength(6);
  });

  it('both client kinds survive every path, settled exactly, and each held client is closed once, at closeAll (LiteLLM: owned clients)', async () => {
    const { adapter, closes } = countingHeldCloses(clientCacheAdapter());
    const report = await checkEvictionSafety({ cache: adapter });
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
    const report = await checkEvictionSafety({ cache: { ...base, name: 'ClientCache, ttl by evictExpired()', evict: { ttl } } });
    expectOk(report);
    expect(report.results).toHaveLength(6);
  });

  it('caller-supplied clients (set) are never closed: not by eviction, not by closeAll', async () => {
    const supplied = inMemoryCacheAdapter({
      name: 'ClientCache, clients given with set()',
      create: ({ clock }) => new ClientCache<EvictableClient>({ maxSize: 4, defaultTtlMs: 60_000, clock }),
    });
    const { adapter, closes } = countingHeldCloses(supplied);
    const report = await checkEvictionSafety({ cache: adapter });
    expectOk(report);
    expect(closes).toEqual(Array.from({ length: 30 }, () => [0, 0]));
  });

  it('negative control: the LiteLLM regression (a close deferred like create_task in the eviction hook) fails every path', async () => {
    class ClosingOnEvict extends ClientCache<EvictableClient> {
      protected override onEvict(_key: string, client: EvictableClient, _reason: EvictionReason): void {
        // eslint-disable-next-line no-close-on-evict/no-close-on-evict -- the regression these tests must detect
        setImmediate(() => void Promise.resolve(client.close?.()).catch(() => undefined));
      }
    }
    const report = await checkEvictionSafety({
      cache: inMemoryCacheAdapter({ name: 'regressed ClientCache', create: ({ clock }) => new ClosingOnEvict({ maxSize: 4, defaultTtlMs: 60_000, clock }) }),
    });
    expect(failedPaths(report)).toEqual(everyPath);
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      expect(result.closes[0]).toMatchObject({ client: 'held client', verb: 'close', eviction: { key: 'client-under-test', path: result.path } });
    }
  });
});
