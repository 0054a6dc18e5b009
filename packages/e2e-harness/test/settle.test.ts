import { describe, expect, it } from 'vitest';
import { checkEvictionSafety } from '../src/index.js';
import type { CacheAdapter, CaseResult } from '../src/index.js';
import { galleryAdapter } from './fixtures/gallery-cache.js';

/** One delete eviction of one undici Agent held by a holder: the smallest case settle acts on. */
async function settleOneDelete<TCache>(cache: CacheAdapter<TCache>, settleCapMs: number): Promise<CaseResult | undefined> {
  const report = await checkEvictionSafety({
    cache,
    paths: ['delete'],
    clients: ['undici-agent'],
    scenarios: ['holder-request-after-eviction'],
    settleCapMs,
  });
  return report.results[0];
}

describe('settle: exact, bounded, and honest about what it did not wait for', () => {
  it('does not wait for a close deferred past the cap and lists it as pending', async () => {
    // Far past the cap, so the case ends before the close even on a loaded machine.
    const destroysLater = galleryAdapter('destroys 5 s after eviction', (client) => {
      setTimeout(() => void Promise.resolve(client.destroy?.()).catch(() => undefined), 5000);
    });
    const result = await settleOneDelete(destroysLater, 200);
    expect(result?.ok).toBe(true);
    expect(result?.settle.waitedMs).toBeLessThan(200);
    expect(result?.settle.pending).toEqual([
      expect.objectContaining({ type: 'Timeout', delayMs: 5000, createdAt: expect.stringContaining('settle.test.ts') }),
    ]);
  });

  it('stops at the cap when the eviction keeps scheduling work, and says so', async () => {
    let stopped = false;
    const spinUntilShutdown = () => {
      const spin = () => void (stopped || setImmediate(spin));
      spin();
    };
    const result = await settleOneDelete(galleryAdapter('spins on setImmediate', spinUntilShutdown, () => (stopped = true)), 150);
    expect(result?.ok).toBe(true);
    expect(result?.settle.ended).toBe('cap');
    expect(result?.settle.waitedMs).toBeGreaterThanOrEqual(150);
    expect(result?.settle.pending).toContainEqual(expect.objectContaining({ type: 'Immediate' }));
  });

  it('a chain of short timers re-armed forever is followed until the next one falls past the cap', async () => {
    const rearmForever = () => {
      const rearm = () => void setTimeout(rearm, 10).unref();
      rearm();
    };
    const result = await settleOneDelete(galleryAdapter('re-arms timers forever', rearmForever), 150);
    expect(result?.ok).toBe(true);
    expect(result?.settle.waitedMs).toBeGreaterThanOrEqual(100);
    expect(result?.settle.waitedMs).toBeLessThan(1000);
    expect(result?.settle.pending).toContainEqual(expect.objectContaining({ type: 'Timeout', delayMs: 10 }));
  });

  it('waits for the first tick of an interval armed on eviction', async () => {
    const closeOnFirstTick = galleryAdapter('interval closer', (client, _path, owner) => {
      const interval = setInterval(() => void Promise.resolve(client.destroy?.()).catch(() => undefined), 40);
      owner.timers.push(interval);
    }, (owner) => owner.timers.forEach(clearInterval));
    const report = await checkEvictionSafety({
      cache: closeOnFirstTick,
      paths: ['ttl'],
      clients: ['openai'],
      settleCapMs: 500,
    });
    expect(report.results.map((result) => result.ok)).toEqual([false, false, false]);
  });

  it('a fixed 150 ms sleep, as in LiteLLM tests, misses a close deferred by 1 s that tracking catches', async () => {
    // 1 s, not 300 ms: the sleeping case must end before the close even on a loaded machine,
    // where its first request alone can take longer than 150 ms.
    const closeAfterMs = 1000;
    const options = {
      cache: galleryAdapter('destroys 1 s after eviction', (client) => {
        setTimeout(() => void Promise.resolve(client.destroy?.()).catch(() => undefined), closeAfterMs);
      }),
      paths: ['ttl' as const],
      clients: ['openai' as const],
      scenarios: ['holder-request-after-eviction' as const],
    };
    const slept = await checkEvictionSafety({ ...options, settle: { sleepMs: 150 } });
    const tracked = await checkEvictionSafety({ ...options, settleCapMs: closeAfterMs + 500 });
    expect(slept.ok).toBe(true);
    expect(slept.results[0]?.settle.mode).toBe('sleep');
    expect(slept.results[0]?.settle.ended).toBe('slept');
    expect(tracked.ok).toBe(false);
  });

  it('a correct cache pays no fixed sleep', async () => {
    const report = await checkEvictionSafety({ cache: galleryAdapter('never closes', () => undefined), settleCapMs: 5000 });
    expect(report.ok).toBe(true);
    // Without tracking, each of the 30 settles would have to sleep; here none waited for anything.
    expect(report.results.every((result) => result.settle.trackedResources === 0)).toBe(true);
    expect(report.results.every((result) => result.settle.waitedMs < 250)).toBe(true);
  });
});
