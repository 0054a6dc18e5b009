import { setTimeout as timersSetTimeout } from 'node:timers';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runInScope } from '../src/settle/tracking-scope.js';
import { VirtualTime } from '../src/settle/virtual-time.js';
import { VirtualCase, virtualCasesEndedAfterEach } from './virtual-case.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const openCase = virtualCasesEndedAfterEach();

interface Shape {
  name: string;
  /** Arms the deferred work; `act` notes what the cache did. */
  arm(virtualCase: VirtualCase, act: () => void): void;
  /** Virtual ms after the eviction at which `act` runs. */
  expectedAt(virtualCase: VirtualCase): number;
}

const oneShot = (ms: number): Shape => ({
  name: `setTimeout ${ms} ms armed by the eviction`,
  arm: (virtualCase, act) => virtualCase.evict(() => void setTimeout(act, ms)),
  expectedAt: () => ms,
});

const shapes: Shape[] = [
  oneShot(1500),
  oneShot(10 * MINUTE),
  oneShot(HOUR),
  {
    name: "an unref'd 10 min setTimeout",
    arm: (virtualCase, act) => virtualCase.evict(() => void setTimeout(act, 10 * MINUTE).unref()),
    expectedAt: () => 10 * MINUTE,
  },
  {
    name: "a promise chain behind an unref'd 1 h timer",
    arm: (virtualCase, act) =>
      virtualCase.evict(() => void new Promise((resolve) => setTimeout(resolve, HOUR).unref()).then(act)),
    expectedAt: () => HOUR,
  },
  {
    name: 'timers/promises setTimeout 2 h, unref',
    arm: (virtualCase, act) => virtualCase.evict(() => void delay(2 * HOUR, undefined, { ref: false }).then(act)),
    expectedAt: () => 2 * HOUR,
  },
  {
    name: "a 10 min timer from a named import of node:timers",
    arm: (virtualCase, act) => virtualCase.evict(() => void timersSetTimeout(act, 10 * MINUTE)),
    expectedAt: () => 10 * MINUTE,
  },
  {
    name: 'an AbortSignal.timeout(1 h) whose abort closes',
    arm: (virtualCase, act) =>
      virtualCase.evict(() => AbortSignal.timeout(HOUR).addEventListener('abort', act, { once: true })),
    expectedAt: () => HOUR,
  },
  {
    name: 'a 10 min timer re-armed once by a 10 min timer',
    arm: (virtualCase, act) => virtualCase.evict(() => void setTimeout(() => void setTimeout(act, 10 * MINUTE), 10 * MINUTE)),
    expectedAt: () => 20 * MINUTE,
  },
  {
    name: 'a 61 min timer armed by a 0 ms timer: a one-shot child of a one-shot runs at any delay',
    arm: (virtualCase, act) => virtualCase.evict(() => void setTimeout(() => void setTimeout(act, 61 * MINUTE), 0)),
    // Node runs a 0 ms timeout after 1 ms.
    expectedAt: () => 61 * MINUTE + 1,
  },
  {
    name: 'a 2 h timer armed in the then() of a promise behind a 1 h timer',
    arm: (virtualCase, act) =>
      virtualCase.evict(() => void new Promise((resolve) => setTimeout(resolve, HOUR)).then(() => setTimeout(act, 2 * HOUR))),
    expectedAt: () => 3 * HOUR,
  },
  {
    name: 'a 10 min timer re-armed twice with refresh() from its own callback',
    arm: (virtualCase, act) =>
      virtualCase.evict(() => {
        let runs = 0;
        const timer = setTimeout(() => (++runs < 3 ? timer.refresh() : act()), 10 * MINUTE);
      }),
    expectedAt: () => 30 * MINUTE,
  },
  {
    name: 'an async function awaiting a 1 h timer, then a setImmediate',
    arm: (virtualCase, act) =>
      virtualCase.evict(() => {
        const later = async () => {
          await new Promise((resolve) => setTimeout(resolve, HOUR));
          setImmediate(act);
        };
        void later();
      }),
    expectedAt: () => HOUR,
  },
];

describe('virtual time runs every deferred shape at its due time, in ms of real time', () => {
  for (const shape of shapes) {
    // What the deferred callback does: the bug (close the evicted client) or its correct twin.
    for (const act of ['closed', 'purged'] as const) {
      it(`${shape.name}: ${act === 'closed' ? 'the close runs' : 'twin, closes nothing'}`, async () => {
        const virtualCase = openCase();
        shape.arm(virtualCase, () => virtualCase.note(act));
        const result = await virtualCase.time.advance();
        expect(result.ended).toBe('idle');
        expect(virtualCase.log).toEqual([{ what: act, at: shape.expectedAt(virtualCase) }]);
        expect(result.pending).toEqual([]);
      });
    }
  }

  it('reports each run: due time, delay, where it was armed, whether it repeats, what re-armed it', async () => {
    const virtualCase = openCase();
    virtualCase.evict(() => void setTimeout(() => void setTimeout(() => virtualCase.note('closed'), 5 * MINUTE), 10 * MINUTE));
    const startedAt = virtualCase.eviction?.startedAt ?? Number.NaN;
    const { runs } = await virtualCase.time.advance();
    expect(runs.map((run) => [Math.round(run.dueAt - startedAt), run.delayMs, run.repeats, run.run, run.broughtForward])).toEqual([
      [10 * MINUTE, 10 * MINUTE, false, 1, true],
      [15 * MINUTE, 5 * MINUTE, false, 1, true],
    ]);
    expect(runs[0]?.site).toContain('virtual-time.test.ts');
    expect(runs[0]?.armedBy).toBeUndefined();
    expect(runs[1]?.armedBy).toBe(runs[0]?.id);
  });

  it('runs timers in order of due time, not of arming', async () => {
    const virtualCase = openCase();
    virtualCase.evict(() => {
      setTimeout(() => virtualCase.note('1 h'), HOUR);
      setTimeout(() => virtualCase.note('1.5 s'), 1500);
      setTimeout(() => virtualCase.note('10 min'), 10 * MINUTE);
    });
    virtualCase.inCache(() => void setTimeout(() => virtualCase.note('cache 20 min'), 20 * MINUTE));
    await virtualCase.time.advance();
    expect(virtualCase.log.map((happening) => happening.what)).toEqual(['1.5 s', '10 min', 'cache 20 min', '1 h']);
  });
});

/** A reaper interval armed when the cache is created, closing evicted clients older than a grace. */
function armReaper(virtualCase: VirtualCase, read: () => number, isDue: (age: number) => boolean): { evicted: number[] } {
  const state = { evicted: [] as number[] };
  virtualCase.inCache(() =>
    setInterval(() => {
      for (const evictedAt of state.evicted.splice(0)) {
        if (isDue(read() - evictedAt)) virtualCase.note('closed');
        else state.evicted.push(evictedAt);
      }
    }, 30_000).unref(),
  );
  return state;
}

describe('a reaper armed before the eviction sees the clocks move', () => {
  const GRACE = 15 * MINUTE;
  const clocks: [string, () => number][] = [
    ['Date.now()', () => Date.now()],
    ['performance.now()', () => performance.now()],
    ['new Date().getTime()', () => new Date().getTime()],
  ];
  for (const [name, read] of clocks) {
    it(`reading ${name}: closes at its first tick past the 15 min grace`, async () => {
      const virtualCase = openCase();
      const reaper = armReaper(virtualCase, read, (age) => age > GRACE);
      virtualCase.evict(() => reaper.evicted.push(read()));
      const result = await virtualCase.time.advance();
      // Ticks fall every 30 s from the arming; the 31st is the first more than 15 min after the eviction.
      const firstTick = result.runs[0]?.dueAt ?? Number.NaN;
      const tick31 = Math.round(firstTick + 30 * 30_000 - (virtualCase.eviction?.startedAt ?? Number.NaN));
      expect(tick31).toBeGreaterThan(GRACE);
      expect(tick31 - 30_000).toBeLessThanOrEqual(GRACE);
      expect(virtualCase.log).toEqual([{ what: 'closed', at: tick31 }]);
      expect(result.runs.every((run) => run.repeats && run.delayMs === 30_000)).toBe(true);
    });
  }

  it('twin: a reaper whose grace is never reached ticks through the horizon and closes nothing', async () => {
    const virtualCase = openCase();
    const reaper = armReaper(virtualCase, () => Date.now(), () => false);
    virtualCase.evict(() => reaper.evicted.push(Date.now()));
    const result = await virtualCase.time.advance();
    expect(virtualCase.log).toEqual([]);
    expect(result.ended).toBe('idle');
    expect(result.pending).toEqual([expect.objectContaining({ repeats: true, reason: 'past-horizon' })]);
  });
});

describe('repeating work is followed through a bounded horizon, never for ever', () => {
  it('an idle purge interval runs once per period up to the horizon, then is left pending', async () => {
    const virtualCase = openCase({ horizonMs: HOUR });
    let purges = 0;
    virtualCase.inCache(() => setInterval(() => purges++, MINUTE).unref());
    virtualCase.evict(() => undefined);
    const result = await virtualCase.time.advance();
    // The first tick is due 1 min after arming; the horizon ends 1 h after it.
    expect(purges).toBe(61);
    expect(result.runs.map((run) => run.run)).toEqual(Array.from({ length: 61 }, (_, index) => index + 1));
    const firstTick = result.runs[0]?.dueAt ?? Number.NaN;
    expect(result.runs.map((run) => Math.round(run.dueAt - firstTick))).toEqual(result.runs.map((_, index) => index * MINUTE));
    expect(result.pending).toEqual([expect.objectContaining({ reason: 'past-horizon', runs: 61 })]);
    expect(Math.round((result.pending[0]?.dueAt ?? Number.NaN) - firstTick)).toBe(61 * MINUTE);
  });

  it('a sweep that re-arms itself for ever stops at maxRunsPerTimer, after one last run at the horizon\'s end', async () => {
    const virtualCase = openCase({ maxRunsPerTimer: 50, horizonMs: HOUR });
    const sweptAt: number[] = [];
    virtualCase.evict(() => {
      const sweep = () => {
        sweptAt.push(virtualCase.sinceEviction());
        setTimeout(sweep, 1000).unref();
      };
      setTimeout(sweep, 1000).unref();
    });
    const result = await virtualCase.time.advance();
    expect(result.ended).toBe('idle');
    // The horizon ends an hour after the last one-shot timer that ran: the first re-arm, at 2 s (armed
    // from another line than the first timer); the re-arms from that line after it are repeating work.
    expect(sweptAt).toEqual([...Array.from({ length: 50 }, (_, index) => (index + 1) * 1000), 2000 + HOUR]);
    expect(result.pending).toEqual([expect.objectContaining({ reason: 'run-limit', delayMs: 1000 })]);
  });

  /** A reaper ticking every second, closing what was evicted at least `thresholdMs` ago. */
  const shortSweepLongThreshold = (virtualCase: VirtualCase, thresholdMs: number) => {
    const evicted: number[] = [];
    virtualCase.inCache(() =>
      setInterval(() => {
        if (evicted.length > 0 && Date.now() - (evicted[0] ?? 0) >= thresholdMs) virtualCase.note(`closed ${evicted.splice(0).length}`);
      }, 1000).unref(),
    );
    virtualCase.evict(() => void evicted.push(Date.now()));
  };

  it('a 1 s reaper closing what was evicted over 10 min ago is caught past the run limit (250 ticks is 250 s)', async () => {
    const virtualCase = openCase();
    shortSweepLongThreshold(virtualCase, 10 * MINUTE);
    const result = await virtualCase.time.advance();
    // Its last run is at the horizon's end: an hour after its first tick, which fell within 1 s of the eviction.
    expect(virtualCase.log.map((happening) => happening.what)).toEqual(['closed 1']);
    expect(virtualCase.log[0]?.at).toBeGreaterThanOrEqual(HOUR);
    expect(virtualCase.log[0]?.at).toBeLessThanOrEqual(HOUR + 1000);
    expect(result.runs).toHaveLength(251);
    expect(result.pending).toEqual([expect.objectContaining({ reason: 'run-limit', repeats: true })]);
  });

  it('twin: the same reaper with a threshold past the horizon ticks to the run limit and closes nothing', async () => {
    const virtualCase = openCase();
    shortSweepLongThreshold(virtualCase, 2 * HOUR);
    const result = await virtualCase.time.advance();
    expect(virtualCase.log).toEqual([]);
    expect(result.runs).toHaveLength(251);
    expect(result.pending).toEqual([expect.objectContaining({ reason: 'run-limit', repeats: true })]);
  });

  it('a one-shot timer that refreshes itself for ever is repeating work too', async () => {
    const virtualCase = openCase({ horizonMs: 24 * HOUR, maxRunsPerTimer: 20 });
    let runs = 0;
    virtualCase.evict(() => {
      const timer = setTimeout(() => {
        runs++;
        timer.refresh();
      }, 5 * MINUTE);
    });
    const result = await virtualCase.time.advance();
    // 20 runs, then one last at the horizon's end.
    expect(runs).toBe(21);
    expect(result.pending).toEqual([expect.objectContaining({ reason: 'run-limit' })]);
  });

  it('a timer re-armed past the horizon after a one-shot still runs: the horizon counts from the last one-shot', async () => {
    const virtualCase = openCase({ horizonMs: HOUR });
    virtualCase.evict(() => void setTimeout(() => void setTimeout(() => virtualCase.note('closed'), 30 * MINUTE), 24 * HOUR));
    await virtualCase.time.advance();
    expect(virtualCase.log).toEqual([{ what: 'closed', at: 24 * HOUR + 30 * MINUTE }]);
  });
});

describe('advance options', () => {
  it('until: runs only what is due by then, and the clock ends there', async () => {
    const virtualCase = openCase();
    virtualCase.evict(() => {
      setTimeout(() => virtualCase.note('5 min'), 5 * MINUTE);
      setTimeout(() => virtualCase.note('20 min'), 20 * MINUTE);
    });
    const startedAt = virtualCase.eviction?.startedAt ?? Number.NaN;
    const first = await virtualCase.time.advance({ until: startedAt + 15 * MINUTE });
    expect(virtualCase.log).toEqual([{ what: '5 min', at: 5 * MINUTE }]);
    expect(first.now).toBeGreaterThanOrEqual(startedAt + 15 * MINUTE);
    expect(first.pending).toEqual([expect.objectContaining({ reason: 'after-until', delayMs: 20 * MINUTE })]);
    await virtualCase.time.advance();
    expect(virtualCase.log.map((happening) => happening.what)).toEqual(['5 min', '20 min']);
  });

  it('until: a timer due exactly then runs (a close at the grace is at the grace)', async () => {
    const virtualCase = openCase();
    virtualCase.evict(() => void setTimeout(() => virtualCase.note('closed at the grace'), 15 * MINUTE));
    const startedAt = virtualCase.eviction?.startedAt ?? Number.NaN;
    const result = await virtualCase.time.advance({ until: startedAt + 15 * MINUTE });
    expect(virtualCase.log).toEqual([{ what: 'closed at the grace', at: 15 * MINUTE }]);
    expect(result.pending).toEqual([]);
  });

  it('stopWhen: ends between runs and leaves the rest pending', async () => {
    const virtualCase = openCase();
    virtualCase.evict(() => {
      setTimeout(() => virtualCase.note('closed'), MINUTE);
      setTimeout(() => virtualCase.note('closed again'), 2 * MINUTE);
    });
    const result = await virtualCase.time.advance({ stopWhen: () => virtualCase.log.length > 0 });
    expect(result.ended).toBe('stopped');
    expect(virtualCase.log.map((happening) => happening.what)).toEqual(['closed']);
    expect(result.pending).toEqual([expect.objectContaining({ reason: 'not-reached', delayMs: 2 * MINUTE })]);
  });

  it('realTimeBudgetMs: a cache spinning on setImmediate ends the advance instead of hanging it', async () => {
    const virtualCase = openCase();
    virtualCase.evict(() => {
      const spin = () => void setImmediate(spin);
      spin();
      setTimeout(() => virtualCase.note('closed'), MINUTE);
    });
    const result = await virtualCase.time.advance({ realTimeBudgetMs: 50 });
    expect(result.ended).toBe('budget');
    expect(virtualCase.log).toEqual([]);
  });

  it('a timer refreshed by a cache call is re-dated from that call', async () => {
    const virtualCase = openCase();
    const idle = virtualCase.inCache(() => setTimeout(() => virtualCase.note('closed when idle'), 10 * MINUTE));
    virtualCase.evict(() => undefined);
    const startedAt = virtualCase.eviction?.startedAt ?? Number.NaN;
    await virtualCase.time.advance({ until: startedAt + 5 * MINUTE });
    // The clock runs on in real time after an advance: hold it to know the refresh's instant.
    const release = virtualCase.time.hold();
    const refreshedAt = virtualCase.time.now() - startedAt;
    virtualCase.inCache(() => idle.refresh());
    release();
    await virtualCase.time.advance();
    expect(refreshedAt).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(virtualCase.log).toEqual([{ what: 'closed when idle', at: Math.round(refreshedAt + 10 * MINUTE) }]);
  });

  it('bad options are rejected naming the option and the value', async () => {
    expect(() => new VirtualTime({ horizonMs: -1 })).toThrow(new RangeError('horizonMs must be a non-negative number (Infinity allowed), got -1'));
    expect(() => new VirtualTime({ maxRunsPerTimer: 1.5 })).toThrow(new RangeError('maxRunsPerTimer must be a positive integer, got 1.5'));
    expect(() => new VirtualTime({ clientModules: 'undici' as never })).toThrow(
      new TypeError('clientModules must be an array of package names, got "undici"'),
    );
    const virtualCase = openCase();
    await expect(virtualCase.time.advance({ realTimeBudgetMs: 0 })).rejects.toThrow(new RangeError('realTimeBudgetMs must be a positive number (Infinity allowed), got 0'));
    await expect(virtualCase.time.advance({ until: Number.NaN })).rejects.toThrow(new RangeError('until must be a number (Infinity allowed), got NaN'));
    await expect(virtualCase.time.advance({ stopWhen: true as never })).rejects.toThrow(
      new TypeError('stopWhen must be a function () => boolean, got true'),
    );
  });

  it('throws when advanced after dispose', async () => {
    const virtualCase = openCase();
    virtualCase.end();
    await expect(virtualCase.time.advance()).rejects.toThrow(/after dispose/);
  });
});

describe('one case never moves another', () => {
  it('two cases advance independently: timers and clocks', async () => {
    const first = openCase();
    const second = openCase();
    first.evict(() => void setTimeout(() => first.note('closed'), 10 * MINUTE));
    second.evict(() => void setTimeout(() => second.note('closed'), 10 * MINUTE));
    await first.time.advance();
    expect(first.log).toEqual([{ what: 'closed', at: 10 * MINUTE }]);
    expect(second.log).toEqual([]);
    const realNow = Date.now();
    const readIn = (virtualCase: VirtualCase) => virtualCase.inCache(() => Date.now());
    expect(readIn(first) - realNow).toBeGreaterThanOrEqual(10 * MINUTE - 1000);
    expect(readIn(second) - realNow).toBeLessThan(1000);
    expect(Date.now() - realNow).toBeLessThan(1000);

    const startedAt = second.eviction?.startedAt ?? Number.NaN;
    const partial = await second.time.advance({ until: startedAt + 5 * MINUTE });
    expect(second.log).toEqual([]);
    expect(partial.pending).toEqual([expect.objectContaining({ reason: 'after-until' })]);
    expect(readIn(second) - realNow).toBeGreaterThanOrEqual(5 * MINUTE - 1000);
    expect(readIn(second) - realNow).toBeLessThan(10 * MINUTE - 1000);
  });

  it('two cases advancing at the same time each run their own timers at their own times', async () => {
    const first = openCase();
    const second = openCase();
    first.evict(() => [MINUTE, 2 * MINUTE, 3 * MINUTE].forEach((ms) => setTimeout(() => first.note(`${ms}`), ms)));
    second.evict(() => [HOUR, 2 * HOUR].forEach((ms) => setTimeout(() => second.note(`${ms}`), ms)));
    await Promise.all([first.time.advance(), second.time.advance()]);
    expect(first.log).toEqual([MINUTE, 2 * MINUTE, 3 * MINUTE].map((ms) => ({ what: `${ms}`, at: ms })));
    expect(second.log).toEqual([HOUR, 2 * HOUR].map((ms) => ({ what: `${ms}`, at: ms })));
  });
});

describe('a case that ends leaves nothing behind', () => {
  it('dispose clears the timers, intervals and immediates the case still had scheduled', async () => {
    const virtualCase = openCase();
    const armed = virtualCase.evict(() => ({
      timer: setTimeout(() => virtualCase.note('closed late'), HOUR),
      interval: setInterval(() => virtualCase.note('swept late'), MINUTE),
    }));
    virtualCase.evict(() => setImmediate(() => virtualCase.note('closed on the next turn')));
    virtualCase.end();
    expect(virtualCase.time.pending()).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(virtualCase.log).toEqual([]);
    expect(Reflect.get(armed.timer, '_destroyed')).toBe(true);
    expect(Reflect.get(armed.interval, '_destroyed')).toBe(true);
  });

  it('the clocks are real again once no case needs them', async () => {
    const virtualCase = openCase();
    virtualCase.evict(() => void setTimeout(() => undefined, 10 * MINUTE));
    await virtualCase.time.advance();
    const moved = virtualCase.inCache(() => Date.now()) - Date.now();
    expect(moved).toBeGreaterThan(9 * MINUTE);
    const afterEnd = runInScope(virtualCase.cache, () => {
      virtualCase.end();
      return Date.now();
    });
    expect(Math.abs(afterEnd - Date.now())).toBeLessThan(1000);
    expect(Object.getOwnPropertyDescriptor(performance, 'now')).toBeUndefined();
    expect(new Date()).toBeInstanceOf(Date);
  });
});
