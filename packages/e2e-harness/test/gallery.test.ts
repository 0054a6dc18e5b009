import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkEvictionSafety, EVICTION_PATHS, formatCaseResult, formatReport } from '../src/index.js';
import type { EvictableClient } from '../src/index.js';
import { closingCache, galleryAdapter, scheduleDelays, schedules } from './fixtures/gallery-cache.js';
import type { GalleryCache, ScheduleName } from './fixtures/gallery-cache.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const scheduleNames = Object.keys(schedules) as ScheduleName[];

describe('bad caches: the seed regression in every timing and with every verb', () => {
  for (const verb of ['close', 'destroy'] as const) {
    for (const schedule of scheduleNames) {
      it(`${verb}() via ${schedule} fails every case, names the caller and the eviction, and says when`, async () => {
        const report = await checkEvictionSafety({ cache: closingCache(schedule, verb), paths: ['ttl'] });

        expect(report.ok).toBe(false);
        expect(report.results).toHaveLength(6);
        for (const result of report.results) {
          expect(result.ok, formatCaseResult(result)).toBe(false);
          // One close per eviction: undici's own follow-up destroy() inside close() is not the cache's.
          expect(result.closes).toHaveLength(1);
          expect(result.closes[0]).toMatchObject({
            client: 'held client',
            verb,
            // The eviction is one instant of the case's virtual time, the close exactly its delay later.
            eviction: { path: 'ttl', key: 'client-under-test', msAfter: scheduleDelays[schedule] },
          });
          expect(result.closes[0]?.allowedBy).toBeUndefined();
          expect(result.closes[0]?.stack).toContain('gallery-cache.ts');
          expect(result.settle.ended).toBe('close-observed');
          if (result.scenario === 'holder-request-after-eviction') {
            expect(result.error?.kind).toMatch(/^client-(closed|destroyed)$/);
          }
        }
      });
    }
  }

  it('a graceful close() lets the in-flight stream finish: only the tripwire sees it', async () => {
    const report = await checkEvictionSafety({ cache: closingCache('synchronous', 'close'), paths: ['delete'], scenarios: ['stream-in-flight'] });
    for (const result of report.results) {
      expect(result.ok).toBe(false);
      expect(result.error).toBeUndefined();
      expect(result.closes).toHaveLength(1);
    }
  });

  it('destroy() breaks the in-flight stream, seen as the client error', async () => {
    const report = await checkEvictionSafety({ cache: closingCache('setTimeout 50 ms', 'destroy'), paths: ['delete'], scenarios: ['stream-in-flight'] });
    const kinds = report.results.map((result) => result.error?.kind);
    expect(kinds).toEqual(['client-destroyed', 'stream-terminated']);
  });

  for (const path of EVICTION_PATHS) {
    it(`a cache that closes only on ${path} fails exactly the ${path} cases`, async () => {
      const report = await checkEvictionSafety({ cache: closingCache('setImmediate', 'destroy', [path]) });

      expect(report.results).toHaveLength(30);
      const failedPaths = new Set(report.results.filter((result) => !result.ok).map((result) => result.path));
      expect([...failedPaths]).toEqual([path]);
      expect(report.results.filter((result) => !result.ok)).toHaveLength(6);
    });
  }

  it('the failure message says who closed what after which eviction', async () => {
    const report = await checkEvictionSafety({
      cache: closingCache('synchronous', 'destroy'),
      paths: ['size'],
      clients: ['openai'],
      scenarios: ['holder-request-after-eviction'],
    });
    const [result] = report.results;
    if (!result) throw new Error('no result');
    const message = formatCaseResult(result);
    expect(message).toContain('✗ size › openai › holder-request-after-eviction');
    expect(message).toMatch(/error \(client-destroyed\): APIConnectionError: Connection error\. ← TypeError: fetch failed ← ClientDestroyedError/);
    expect(message).toMatch(/held client\.destroy\(\) called 0 ms after evicting 'client-under-test' by size, from:/);
    expect(message).toContain('gallery-cache.ts');
  });
});

describe("issue 10's deferred closes fail with the default options, in ms of real time", () => {
  const closeLater = (defer: (close: () => void) => void) => (client: EvictableClient) =>
    defer(() => void Promise.resolve(client.close?.()).catch(() => undefined));
  const shapes: { name: string; closesAfterMs: number; onEvict: (client: EvictableClient) => void }[] = [
    { name: 'onEvict: setTimeout(close, 1500)', closesAfterMs: 1500, onEvict: closeLater((close) => setTimeout(close, 1500)) },
    { name: 'a "10 minute grace" closer: setTimeout(close, 600_000).unref()', closesAfterMs: 10 * MINUTE, onEvict: closeLater((close) => setTimeout(close, 10 * MINUTE).unref()) },
    {
      name: 'new Promise((r) => setTimeout(r, 3_600_000).unref()).then(close)',
      closesAfterMs: HOUR,
      onEvict: closeLater((close) => void new Promise((resolve) => setTimeout(resolve, HOUR).unref()).then(close)),
    },
  ];
  for (const { name, closesAfterMs, onEvict } of shapes) {
    it(name, async () => {
      const report = await checkEvictionSafety({ cache: galleryAdapter(name, onEvict) });
      expect(report.results).toHaveLength(30);
      for (const result of report.results) {
        expect(result.ok, formatCaseResult(result)).toBe(false);
        expect(result.closes[0]).toMatchObject({ eviction: { msAfter: closesAfterMs, via: 'eviction' }, timer: { msAfter: closesAfterMs, delayMs: closesAfterMs } });
        const message = formatCaseResult(result);
        expect(message).toContain(`held client.close() closed ${closesAfterMs} ms after eviction by a timer armed at:`);
        expect(message).toMatch(/closed \d+ ms after eviction by a timer armed at:\n\s+at .*gallery\.test\.ts/);
      }
    });
  }

  it('a reaper armed when the cache is created: setInterval(closeEvicted, 30_000).unref()', async () => {
    const report = await checkEvictionSafety({ cache: reaper((owner, reap) => owner.timers.push(setInterval(reap, 30_000).unref())) });
    expect(report.results).toHaveLength(30);
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      const close = result.closes[0];
      expect(close).toMatchObject({ eviction: { via: 'cache-timer' }, timer: { delayMs: 30_000, repeats: true } });
      // Its first tick after the eviction: within one period.
      expect(close?.eviction?.msAfter).toBeGreaterThan(0);
      expect(close?.eviction?.msAfter).toBeLessThanOrEqual(30_000);
      expect(formatCaseResult(result)).toMatch(/closed \d+ ms after eviction by a timer armed at:\n\s+at .*gallery\.test\.ts[^]*an interval of 30000 ms, armed before the eviction/);
    }
  });
});

/** LiteLLM's deferred closer: eviction queues the client, a timer the cache armed at construction closes the queue later. */
function reaper(arm: (owner: GalleryCache, reap: () => void) => void) {
  return galleryAdapter(
    'reaper',
    (client, _path, owner) => owner.retired.push(client),
    (owner) => owner.timers.forEach(clearTimeout),
    (owner) => arm(owner, () => owner.retired.splice(0).forEach((client) => void Promise.resolve(client.destroy?.()).catch(() => undefined))),
  );
}

describe('bad caches whose close comes from a reaper armed before the eviction', () => {
  it('a reaper that re-arms a 30 ms timeout is caught at its next pass', async () => {
    const report = await checkEvictionSafety({
      cache: reaper((owner, reap) => {
        const pass = () => {
          reap();
          owner.timers.push(setTimeout(pass, 30));
        };
        owner.timers.push(setTimeout(pass, 30));
      }),
      paths: ['ttl'],
    });
    expect(report.results.map((result) => result.ok)).toEqual([false, false, false, false, false, false]);
  });

  it('a reaper re-arming a 1 min timeout, closing what was evicted 5 min ago, is described as armed after the eviction', async () => {
    const FIVE_MINUTES = 5 * MINUTE;
    const report = await checkEvictionSafety({
      cache: galleryAdapter(
        'reaper re-arming after the eviction',
        (client, _path, owner) => owner.retired.push(Object.assign(client, { evictedAt: Date.now() })),
        (owner) => owner.timers.forEach(clearTimeout),
        (owner) => {
          const pass = () => {
            const due = owner.retired.filter((client) => Date.now() - (client as { evictedAt: number }).evictedAt >= FIVE_MINUTES);
            for (const client of due) void Promise.resolve(client.destroy?.()).catch(() => undefined);
            owner.timers.push(setTimeout(pass, MINUTE));
          };
          owner.timers.push(setTimeout(pass, MINUTE));
        },
      ),
      paths: ['delete'],
      clients: ['openai'],
      scenarios: ['holder-request-after-eviction'],
    });
    const [result] = report.results;
    if (!result) throw new Error('no result');
    expect(result.ok).toBe(false);
    const armedMsAfter = result.closes[0]?.timer?.armedMsAfter ?? Number.NaN;
    // Re-armed by its runs after the eviction (which tick closes depends on the ms the cache's clock reads).
    expect(armedMsAfter).toBeGreaterThan(0);
    expect(formatCaseResult(result)).toContain(`a timeout of 60000 ms, armed ${armedMsAfter} ms after the eviction of 'client-under-test' by delete`);
    expect(formatCaseResult(result)).not.toContain('armed before the eviction');
  });

  it('a reaper with a one-hour period is caught too: no cap hides it', async () => {
    const report = await checkEvictionSafety({ cache: reaper((owner, reap) => owner.timers.push(setInterval(reap, HOUR))), paths: ['delete'] });
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      expect(result.closes[0]?.timer).toMatchObject({ delayMs: HOUR, repeats: true });
    }
  });
});

/** LiteLLM's deferred closer: an interval armed at creation closes the clients evicted at least `thresholdMs` ago. */
function thresholdSweeper(periodMs: number, thresholdMs: number) {
  return galleryAdapter(
    `sweeps every ${periodMs} ms, closing what was evicted ${thresholdMs} ms ago`,
    (client, _path, owner) => owner.retired.push(Object.assign(client, { evictedAt: Date.now() })),
    (owner) => owner.timers.forEach(clearInterval),
    (owner) =>
      owner.timers.push(
        setInterval(() => {
          const due = owner.retired.filter((client) => Date.now() - (client as { evictedAt: number }).evictedAt >= thresholdMs);
          owner.retired.splice(0, due.length);
          for (const client of due) void Promise.resolve(client.close?.()).catch(() => undefined);
        }, periodMs).unref(),
      ),
  );
}

describe("holderGraceMs: the cache's declared contract with holders", () => {
  const GRACE = 15 * MINUTE;
  /** Closes each evicted client `afterMs` after its eviction, on its own timer. */
  const closerAfter = (afterMs: number) =>
    galleryAdapter(`closes ${afterMs} ms after eviction`, (client, _path, owner) =>
      owner.timers.push(setTimeout(() => void Promise.resolve(client.close?.()).catch(() => undefined), afterMs).unref()),
    (owner) => owner.timers.forEach(clearTimeout));

  it('a closer that waits out the declared grace passes; each close is listed as allowed', async () => {
    const report = await checkEvictionSafety({ cache: closerAfter(GRACE), holderGraceMs: GRACE });
    expect(report.ok, formatReport(report)).toBe(true);
    for (const result of report.results) {
      expect(result.closes).toEqual([expect.objectContaining({ client: 'held client', allowedBy: 'holder-grace', eviction: expect.objectContaining({ msAfter: GRACE }) })]);
    }
    const passingLines = formatReport(report).split('\n').slice(1);
    expect(passingLines).toHaveLength(30);
    for (const line of passingLines) expect(line).toMatch(/^✓ .* — held client closed 900000 ms after eviction \(allowed: at or after holderGraceMs\)$/);
  });

  it('the same closer fails without a declared grace: by default a holder may keep a client for ever', async () => {
    const report = await checkEvictionSafety({ cache: closerAfter(GRACE), paths: ['delete'] });
    for (const result of report.results) {
      expect(result.ok).toBe(false);
      expect(formatCaseResult(result)).toContain(`closed ${GRACE} ms after eviction by a timer armed at:`);
    }
  });

  it('a closer that closes before its declared grace fails', async () => {
    const report = await checkEvictionSafety({ cache: closerAfter(10 * MINUTE), holderGraceMs: GRACE });
    expect(report.results).toHaveLength(30);
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      expect(result.closes[0]).toMatchObject({ eviction: { msAfter: 10 * MINUTE } });
      expect(result.closes[0]?.allowedBy).toBeUndefined();
    }
  });

  it('a closer 0.4 ms before its declared grace fails: the grace is judged on unrounded virtual time', async () => {
    const report = await checkEvictionSafety({ cache: closerAfter(GRACE - 0.4), holderGraceMs: GRACE, paths: ['delete'] });
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      expect(result.closes[0]?.allowedBy).toBeUndefined();
    }
    // Twin: the closer at exactly the grace passes (above, every path).
  });

  it("the holders act before the grace: a close at the grace cannot break the holder's follow-up", async () => {
    const report = await checkEvictionSafety({ cache: closerAfter(GRACE), holderGraceMs: GRACE, scenarios: ['holder-request-after-eviction', 'stream-in-flight'] });
    expect(report.results.map((result) => result.error)).toEqual(report.results.map(() => undefined));
  });

  it("LiteLLM's deferred closer (a 1 min sweep closing what was evicted at least 15 min ago) passes with that grace, fails with a longer one", async () => {
    const sweeper = thresholdSweeper(MINUTE, GRACE);
    const passing = await checkEvictionSafety({ cache: sweeper, paths: ['delete'], holderGraceMs: GRACE });
    expect(passing.ok, formatReport(passing)).toBe(true);
    for (const result of passing.results) {
      const msAfter = result.closes[0]?.eviction?.msAfter ?? Number.NaN;
      expect(result.closes[0]?.allowedBy).toBe('holder-grace');
      expect(msAfter).toBeGreaterThanOrEqual(GRACE);
      expect(msAfter).toBeLessThanOrEqual(GRACE + MINUTE);
    }
    const failing = await checkEvictionSafety({ cache: sweeper, paths: ['delete'], holderGraceMs: 20 * MINUTE });
    expect(failing.results.every((result) => !result.ok)).toBe(true);
  });

  it('a sweep whose threshold is exactly the grace passes in every case: the evictedAt it reads and its later Date.now() share one clock', async () => {
    // The cache reads the real Date.now() at eviction and the case's clock afterwards; a case
    // wall clock even 1 ms ahead of the real one made this sweep close at grace - 1 ms in about
    // one case in eight (ws holders). 72 cases make that visible.
    const sweeper = thresholdSweeper(MINUTE, GRACE);
    for (let round = 0; round < 6; round++) {
      const report = await checkEvictionSafety({ cache: sweeper, holderGraceMs: GRACE, clients: ['ws', 'undici-agent'], paths: ['delete', 'size'] });
      expect(report.results).toHaveLength(12);
      expect(report.ok, formatReport(report)).toBe(true);
    }
  });
});

describe('closes behind timers armed by timers: no horizon or run limit hides them', () => {
  const close = (client: EvictableClient) => void Promise.resolve(client.close?.()).catch(() => undefined);
  const nested: { name: string; closesAfterMs: number; defer: (task: () => void) => void }[] = [
    { name: 'setTimeout(() => setTimeout(close, 61 min), 0)', closesAfterMs: 61 * MINUTE + 1, defer: (task) => void setTimeout(() => void setTimeout(task, 61 * MINUTE), 0) },
    {
      name: 'new Promise((r) => setTimeout(r, 1 h)).then(() => setTimeout(close, 2 h))',
      closesAfterMs: 3 * HOUR,
      defer: (task) => void new Promise((resolve) => setTimeout(resolve, HOUR)).then(() => setTimeout(task, 2 * HOUR)),
    },
  ];
  for (const { name, closesAfterMs, defer } of nested) {
    it(`${name} fails with the default options; its twin that closes nothing passes`, async () => {
      const closing = await checkEvictionSafety({ cache: galleryAdapter(name, (client) => defer(() => close(client))), paths: ['delete'] });
      for (const result of closing.results) {
        expect(result.ok, formatCaseResult(result)).toBe(false);
        expect(result.closes[0]?.eviction).toMatchObject({ msAfter: closesAfterMs, via: 'eviction' });
      }
      const idle = await checkEvictionSafety({ cache: galleryAdapter(`${name}, closing nothing`, () => defer(() => undefined)), paths: ['delete'] });
      expect(idle.ok, formatReport(idle)).toBe(true);
    });
  }

  const shortSweep = (thresholdMs: number) => thresholdSweeper(1000, thresholdMs);

  it('a 1 s reaper closing clients evicted over 10 min ago (600 ticks) is caught past the 250-run limit', async () => {
    const report = await checkEvictionSafety({ cache: shortSweep(10 * MINUTE), paths: ['delete'] });
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      expect(result.closes[0]?.timer).toMatchObject({ delayMs: 1000, repeats: true });
      // Its last tick runs at the horizon's end, an hour on.
      expect(result.closes[0]?.eviction?.msAfter).toBeGreaterThanOrEqual(HOUR);
    }
  });

  it('twin: the same reaper passes when the cache declares a 10 min grace', async () => {
    const report = await checkEvictionSafety({ cache: shortSweep(10 * MINUTE), paths: ['delete'], holderGraceMs: 10 * MINUTE });
    expect(report.ok, formatReport(report)).toBe(true);
    for (const result of report.results) expect(result.closes).toEqual([expect.objectContaining({ allowedBy: 'holder-grace' })]);
  });
});

describe('idle timers neither fail a cache nor keep the check waiting', () => {
  it('a metrics interval, a purge interval, a sweep that re-arms itself and a long no-op timeout all pass', async () => {
    let metricTicks = 0;
    const idle = galleryAdapter(
      'idle timers',
      (_client, _path, owner) => owner.timers.push(setTimeout(() => undefined, 2 * HOUR).unref()),
      (owner) => owner.timers.forEach(clearTimeout),
      (owner) => {
        owner.timers.push(setInterval(() => metricTicks++, 1000).unref());
        owner.timers.push(setInterval(() => owner.retired.splice(0), MINUTE).unref());
        const sweep = () => void owner.timers.push(setTimeout(sweep, 5000).unref());
        sweep();
      },
    );
    // One path: each case runs about 600 timer runs (see bench/ for what they cost).
    const report = await checkEvictionSafety({ cache: idle, paths: ['delete'] });
    expect(report.ok, formatReport(report)).toBe(true);
    for (const result of report.results) {
      expect(result.settle.ended).toBe('idle');
      expect(result.closes).toEqual([]);
      // Repeating work is followed through a bounded horizon (an hour past the last one-shot timer,
      // here the 2 h one) and a bounded number of runs, then left pending: never looped for ever.
      expect(result.settle.pending.map((timer) => `${timer.delayMs} ${timer.reason}`).sort()).toEqual([
        '1000 run-limit',
        '5000 run-limit',
        '60000 past-horizon',
      ]);
      expect(result.settle.virtualMs).toBeGreaterThanOrEqual(2 * HOUR);
    }
    expect(metricTicks).toBeGreaterThan(0);
    // No note on the passing lines: these timers ran, and closed nothing.
    expect(formatReport(report).split('\n').slice(1).every((line) => !line.includes(' — '))).toBe(true);
  });
});

describe('good caches: no false alarm', () => {
  it('never closes', async () => {
    const report = await checkEvictionSafety({ cache: galleryAdapter('never closes', () => undefined) });
    expect(report.ok).toBe(true);
    expect(report.results).toHaveLength(30);
    expect(report.results.flatMap((result) => result.closes)).toEqual([]);
    expect(formatReport(report).split('\n')[0]).toMatch(/^never closes: ok — 30\/30 cases passed in \d+ ms$/);
    expect(formatReport(report).split('\n').slice(1).filter((line) => line.includes(' — '))).toEqual([]);
  });

  it('closes only at shutdown, evicted clients included', async () => {
    let closedAtShutdown = 0;
    const cache = galleryAdapter(
      'closes at shutdown',
      (client, _path, owner) => owner.retired.push(client),
      async (owner) => {
        const clients = [...owner.clients(), ...owner.retired];
        closedAtShutdown += clients.length;
        await Promise.all(clients.map((client) => client.close?.()));
      },
    );
    const report = await checkEvictionSafety({ cache });
    expect(report.ok).toBe(true);
    expect(closedAtShutdown).toBeGreaterThanOrEqual(30);
  });

  it('runs asynchronous side effects on eviction that close nothing, and the harness runs them', async () => {
    // Per cache: cases run concurrently.
    const unfinishedEffects = new Map<GalleryCache, number>();
    let unfinishedAtShutdown = 0;
    const effect = (owner: GalleryCache, run: (done: () => void) => void) => {
      unfinishedEffects.set(owner, (unfinishedEffects.get(owner) ?? 0) + 1);
      run(() => unfinishedEffects.set(owner, (unfinishedEffects.get(owner) ?? 0) - 1));
    };
    const logEviction = (_client: EvictableClient, _path: unknown, owner: GalleryCache) => {
      effect(owner, (done) => setTimeout(done, 30));
      effect(owner, (done) => setImmediate(() => void stat(import.meta.filename).then(done)));
      effect(owner, (done) => queueMicrotask(done));
    };
    const cache = galleryAdapter('logs evictions', logEviction, (owner) => {
      unfinishedAtShutdown += unfinishedEffects.get(owner) ?? 0;
    });
    const report = await checkEvictionSafety({ cache });
    expect(report.ok).toBe(true);
    for (const result of report.results) {
      expect(result.settle.ended).toBe('idle');
      expect(result.settle.pending).toEqual([]);
      expect(result.settle.timerRuns).toBeGreaterThanOrEqual(1);
    }
    expect(unfinishedAtShutdown).toBe(0);
  });
});
