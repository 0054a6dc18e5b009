import { describe, expect, it } from 'vitest';
import { checkEvictionSafety, formatCaseResult, formatReport } from '../src/index.js';
import type { CacheAdapter, EvictableClient } from '../src/index.js';
import { galleryAdapter } from './fixtures/gallery-cache.js';
import type { GalleryCache } from './fixtures/gallery-cache.js';

const callTimeoutMs = 150;
const good = galleryAdapter('good', () => undefined);
const withChanges = (changes: Partial<CacheAdapter<GalleryCache>>): CacheAdapter<GalleryCache> => ({ ...good, ...changes });
const never = () => new Promise<never>(() => undefined);

describe('the cache cannot hang the check', () => {
  it('an eviction that awaits close() while a stream is in flight fails every case instead of deadlocking', async () => {
    const awaitsClose = withChanges({
      name: 'delete awaits close',
      evict: {
        async delete(cache, key) {
          const client = cache.get(key);
          cache.delete(key);
          await client?.close?.();
        },
      },
    });
    // The default callTimeoutMs (5 s): the close, not the bound, ends the wait for the eviction.
    const report = await checkEvictionSafety({ cache: awaitsClose });
    expect(report.results).toHaveLength(6);
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      expect(result.closes).toEqual([expect.objectContaining({ verb: 'close', eviction: expect.objectContaining({ path: 'delete' }) })]);
      expect(result.settle.ended).toBe('close-observed');
      expect(result.error?.chain ?? []).not.toContainEqual(expect.stringContaining('callTimeoutMs'));
    }
  });

  it('an eviction that never returns fails at callTimeoutMs, saying so', async () => {
    const report = await checkEvictionSafety({
      cache: withChanges({ name: 'delete never returns', evict: { delete: never } }),
      clients: ['undici-agent'],
      callTimeoutMs,
    });
    for (const result of report.results) {
      expect(result.ok).toBe(false);
      expect(result.settle.ended).toBe('evict-hung');
      expect(result.error?.chain[0]).toMatch(/evict\.delete did not return within callTimeoutMs \(150 ms\)/);
    }
  });

  const hangs: [string, Partial<CacheAdapter<GalleryCache>>, RegExp][] = [
    ['create', { create: never }, /^Error: create did not return within callTimeoutMs \(150 ms\)$/],
    ['set', { set: never }, /^Error: set did not return within callTimeoutMs \(150 ms\)$/],
    ['get', { get: never }, /^Error: get did not return within callTimeoutMs \(150 ms\)$/],
    ['lease', { lease: never }, /^Error: lease did not return within callTimeoutMs \(150 ms\)$/],
    [
      "a lease's release",
      { lease: (cache, key) => ({ client: cache.get(key), release: never }) },
      /^Error: the held client's lease release did not return within callTimeoutMs \(150 ms\)$/,
    ],
  ];
  for (const [call, changes, message] of hangs) {
    it(`${call} never settling fails every case, naming the call`, async () => {
      const report = await checkEvictionSafety({ cache: withChanges({ name: `${call} never settles`, ...changes }), clients: ['undici-agent'], callTimeoutMs });
      expect(report.results).toHaveLength(15);
      for (const result of report.results) {
        expect(result.ok, formatCaseResult(result)).toBe(false);
        expect(result.error?.chain).toEqual([expect.stringMatching(message)]);
      }
    });
  }

  it('an async eviction that returns within the cap and closes nothing passes (negative control)', async () => {
    const slowDelete = withChanges({
      name: 'delete awaits a timer',
      evict: {
        async delete(cache, key) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          cache.delete(key);
        },
      },
    });
    const report = await checkEvictionSafety({ cache: slowDelete, clients: ['undici-agent'], callTimeoutMs: 5000 });
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.results.map((result) => result.settle.ended)).toEqual(['idle', 'idle', 'idle']);
  });
});

describe('a failing shutdown is reported on the case, never thrown', () => {
  const oneCase = { paths: ['delete' as const], clients: ['undici-agent' as const], scenarios: ['holder-request-after-eviction' as const], callTimeoutMs };

  it('a shutdown that throws', async () => {
    const report = await checkEvictionSafety({
      ...oneCase,
      cache: withChanges({
        shutdown: () => {
          throw new Error('pool already drained');
        },
      }),
    });
    const [result] = report.results;
    expect(report.ok).toBe(false);
    expect(result?.error).toBeUndefined();
    expect(result?.shutdownError?.chain).toEqual(['Error: pool already drained']);
    expect(formatCaseResult(result ?? report.results[0]!)).toContain('shutdown failed, error (other): Error: pool already drained');
  });

  it('a shutdown that never returns', async () => {
    const report = await checkEvictionSafety({ ...oneCase, cache: withChanges({ shutdown: never }) });
    expect(report.results[0]?.shutdownError?.chain[0]).toMatch(/shutdown did not return within callTimeoutMs \(150 ms\)/);
  });

  it('a shutdown that closes every client and returns passes (negative control)', async () => {
    const closesAll = withChanges({ shutdown: (cache) => Promise.all(cache.clients().map((client: EvictableClient) => client.close?.())) });
    // Closing real Agents takes real time: the default bound, not the short one the hanging calls use.
    const report = await checkEvictionSafety({ ...oneCase, callTimeoutMs: 5000, cache: closesAll });
    expect(report.ok).toBe(true);
    expect(report.results[0]?.shutdownError).toBeUndefined();
  });

  it('the leak probe reports an eviction or shutdown that fails instead of throwing', async () => {
    const report = await checkEvictionSafety({
      ...oneCase,
      scenarios: ['reinsert-after-eviction'],
      cache: withChanges({ evict: { delete: (cache, key) => (key.startsWith('leak-probe') ? never() : cache.delete(key)) } }),
      leakProbe: { evictions: 2 },
    });
    expect(report.results[0]?.ok).toBe(true);
    expect(report.leakProbe?.[0]).toMatchObject({ ok: false, error: { chain: [expect.stringMatching(/evict\.delete did not return/)] } });
    expect(report.ok).toBe(false);
  });
});

describe('a case that fails before its eviction', () => {
  it('says the settle was not reached, in the mode it would have used', async () => {
    const throwing = withChanges({
      evict: {
        delete: () => {
          throw new Error('lock poisoned');
        },
      },
    });
    const report = await checkEvictionSafety({ cache: throwing, clients: ['undici-agent'], settle: { sleepMs: 10 } });
    for (const result of report.results) {
      expect(result.error?.chain).toEqual(['Error: lock poisoned']);
      expect(result.settle).toMatchObject({ mode: 'sleep', ended: 'not-reached', virtualMs: 0, timerRuns: 0 });
    }
  });
});
