import { describe, expect, it } from 'vitest';
import { checkEvictionSafety, formatCaseResult, formatReport } from '../src/index.js';
import type { CacheAdapter, CaseResult, EvictionSafetyOptions } from '../src/index.js';
import { galleryAdapter } from './fixtures/gallery-cache.js';

/** One delete eviction of one undici Agent held by a holder: the smallest case settle acts on. */
async function settleOneDelete<TCache>(cache: CacheAdapter<TCache>, options: EvictionSafetyOptions = {}): Promise<CaseResult> {
  const report = await checkEvictionSafety({
    cache,
    paths: ['delete'],
    clients: ['undici-agent'],
    scenarios: ['holder-request-after-eviction'],
    ...options,
  });
  const [result] = report.results;
  if (!result) throw new Error('no result');
  return result;
}

const destroyLater = (ms: number) => galleryAdapter(`destroys ${ms} ms after eviction`, (client) => {
  setTimeout(() => void Promise.resolve(client.destroy?.()).catch(() => undefined), ms).unref();
});

describe('settle: every close the eviction scheduled, at its virtual time, bounded in real time', () => {
  it('the eviction is one instant: a close armed after a slow evict call is dated by its delay alone', async () => {
    const slowEvict = galleryAdapter('evicts slowly, then closes 50 ms later', (client) => {
      const busyUntil = performance.now() + 30;
      while (performance.now() < busyUntil);
      setTimeout(() => void Promise.resolve(client.destroy?.()).catch(() => undefined), 50);
    });
    const result = await settleOneDelete(slowEvict);
    expect(result.ok).toBe(false);
    expect(result.closes[0]?.eviction?.msAfter).toBe(50);
  });

  it('ends at advanceBudgetMs when the cache keeps scheduling work, and fails the case naming advanceBudgetMs: the check could not finish', async () => {
    let stopped = false;
    const spinUntilShutdown = () => {
      const spin = () => void (stopped || setImmediate(spin));
      spin();
    };
    const cache = galleryAdapter('spins on setImmediate', spinUntilShutdown, () => (stopped = true));
    const report = await checkEvictionSafety({ cache, paths: ['delete'], clients: ['undici-agent'], scenarios: ['holder-request-after-eviction'], advanceBudgetMs: 100 });
    const [result] = report.results;
    expect(result?.ok).toBe(false);
    expect(result?.settle.ended).toBe('budget');
    expect(result?.closes).toEqual([]);
    expect(result?.error?.chain.join(' ')).toMatch(/advanceBudgetMs \(100 ms\) of real time ran out .* the check could not finish/);
    expect(report.ok).toBe(false);
    const text = formatReport(report);
    expect(text).toMatch(/✗ delete › undici-agent › holder-request-after-eviction\n {2}error \(.*\): .*advanceBudgetMs \(100 ms\) of real time ran out/);
    // Twin: the same cache without the spin passes within the same budget.
    const twin = await checkEvictionSafety({ cache: galleryAdapter('never closes', () => undefined), paths: ['delete'], clients: ['undici-agent'], scenarios: ['holder-request-after-eviction'], advanceBudgetMs: 100 });
    expect(twin.ok, formatReport(twin)).toBe(true);
  });

  it('a chain of short timers re-armed for ever stops at the run limit and closes nothing', async () => {
    const rearmForever = () => {
      const rearm = () => void setTimeout(rearm, 10).unref();
      rearm();
    };
    const result = await settleOneDelete(galleryAdapter('re-arms timers forever', rearmForever));
    expect(result.ok).toBe(true);
    expect(result.settle.ended).toBe('idle');
    expect(result.settle.pending).toEqual([expect.objectContaining({ delayMs: 10, reason: 'run-limit' })]);
  });

  it('an interval armed on eviction is caught at its first tick', async () => {
    const closeOnFirstTick = galleryAdapter(
      'interval closer',
      (client, _path, owner) => owner.timers.push(setInterval(() => void Promise.resolve(client.destroy?.()).catch(() => undefined), 40)),
      (owner) => owner.timers.forEach(clearInterval),
    );
    const report = await checkEvictionSafety({ cache: closeOnFirstTick, paths: ['ttl'], clients: ['openai'] });
    expect(report.results.map((result) => result.ok)).toEqual([false, false, false]);
    for (const result of report.results) expect(result.closes[0]?.timer).toMatchObject({ msAfter: 40, delayMs: 40, repeats: true });
  });

  it('a fixed 150 ms sleep, as in LiteLLM tests, misses a close deferred by 10 s that virtual time catches', async () => {
    const options = { cache: destroyLater(10_000), paths: ['ttl' as const], clients: ['openai' as const], scenarios: ['holder-request-after-eviction' as const] };
    const slept = await checkEvictionSafety({ ...options, settle: { sleepMs: 150 } });
    const virtual = await checkEvictionSafety(options);
    expect(slept.ok).toBe(true);
    expect(slept.results[0]?.settle).toMatchObject({ mode: 'sleep', ended: 'slept' });
    expect(virtual.ok).toBe(false);
    expect(virtual.results[0]?.settle).toMatchObject({ mode: 'virtual-time', ended: 'close-observed', virtualMs: 10_000 });
  });

  it('a correct cache runs no timer and waits for nothing', async () => {
    const report = await checkEvictionSafety({ cache: galleryAdapter('never closes', () => undefined) });
    expect(report.ok).toBe(true);
    for (const result of report.results) {
      expect(result.settle).toMatchObject({ mode: 'virtual-time', ended: 'idle', virtualMs: 0, timerRuns: 0, pending: [] });
    }
  });

  it('what a failed case still had scheduled is listed with its due time and why it was left', async () => {
    const closesThenPurges = galleryAdapter('closes, keeps a purge interval', (client, _path, owner) => {
      void Promise.resolve(client.destroy?.()).catch(() => undefined);
      owner.timers.push(setInterval(() => undefined, 60_000).unref());
    });
    const report = await checkEvictionSafety({ cache: closesThenPurges, paths: ['delete'], clients: ['undici-agent'], scenarios: ['holder-request-after-eviction'] });
    const [result] = report.results;
    expect(result?.settle).toMatchObject({ ended: 'close-observed', pending: [expect.objectContaining({ delayMs: 60_000, repeats: true, dueInMs: 60_000, runs: 0, reason: 'not-reached' })] });
    expect(formatCaseResult(result ?? report.results[0]!)).not.toContain('still scheduled');
  });
});
