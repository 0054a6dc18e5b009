import { setTimeout as sleep } from 'node:timers/promises';
import { harnessNow } from '../util/harness-clock.js';
import type { Eviction } from './tracking-scope.js';
import type { AdvanceEnd, LeftReason, VirtualTime } from './virtual-time.js';

/** How the harness lets time pass after an eviction before it looks at the holders. */
export type SettleMode =
  /** Run every timer the cache armed, at any delay, in virtual time (milliseconds of real time). */
  | 'virtual-time'
  /** Sleep a fixed time, as LiteLLM's tests do; anything later is missed. For comparison only. */
  | { sleepMs: number };

/** A timer the cache armed that was still scheduled when the harness stopped running the case's timers. */
export interface PendingTimer {
  /** The delay it was armed with; an interval's period. */
  delayMs: number;
  repeats: boolean;
  /** When it is due, in virtual ms after the start of the eviction. */
  dueInMs: number;
  /** How many times it ran in the case (an interval, a timer re-armed by its own run). */
  runs: number;
  /**
   * Why it did not run: `past-horizon` (repeating work due past the horizon), `run-limit` (its
   * interval or chain ran the most runs allowed), `not-reached` (the harness stopped first: a close
   * had already failed the case, or `advanceBudgetMs` ran out).
   */
  reason: Exclude<LeftReason, 'after-until'>;
  /** The first frames of the code that armed it. */
  armedAt: string;
}

/** Why the harness stopped running the case's timers. */
export type SettleEnd =
  /** Every timer the cache armed ran, up to the horizon for repeating work. */
  | 'idle'
  /** A close that fails the case was recorded: the case had failed already. */
  | 'close-observed'
  /** `advanceBudgetMs` of real time ran out with the cache's work still running. */
  | 'budget'
  /** `{ sleepMs }` mode: the fixed sleep ended. */
  | 'slept'
  /** The `evict` call did not return within `callTimeoutMs`: nothing was run after it. */
  | 'evict-hung'
  /** The case failed before its eviction. */
  | 'not-reached';

export interface SettleOutcome {
  mode: 'virtual-time' | 'sleep';
  ended: SettleEnd;
  /** How far the case's virtual time went past the start of the eviction, in ms. */
  virtualMs: number;
  /** Runs of the cache's timers after the eviction (brought forward, or fallen due in real time). */
  timerRuns: number;
  /** Real time spent running them (or sleeping), in ms. */
  realMs: number;
  /** Timers the cache still had scheduled at the end (a correct cache may keep a purge interval). */
  pending: PendingTimer[];
}

const ADVANCE_ENDS: Record<AdvanceEnd, SettleEnd> = {
  idle: 'idle',
  stopped: 'close-observed',
  budget: 'budget',
  disposed: 'not-reached',
};

/** Ends that a later pass must not turn back into `idle`. */
const FINAL_ENDS: readonly SettleEnd[] = ['close-observed', 'budget', 'evict-hung'];

/**
 * How one case lets time pass after its eviction: one or more passes of virtual time (before the
 * holders look, and after they let go), or one fixed sleep; `outcome()` sums them up.
 */
export class CaseSettle {
  readonly #mode: SettleMode;
  readonly #time: VirtualTime;
  readonly #budgetMs: number;
  #eviction: Eviction | undefined;
  #ended: SettleEnd = 'not-reached';
  #timerRuns = 0;
  #virtualMs = 0;
  #realMs = 0;
  #pending: PendingTimer[] = [];

  constructor(mode: SettleMode, time: VirtualTime, budgetMs: number) {
    this.#mode = mode;
    this.#time = time;
    this.#budgetMs = budgetMs;
  }

  /** The eviction's `evict` call did not return in time. */
  evictHung(eviction: Eviction): void {
    this.#eviction = eviction;
    this.#ended = 'evict-hung';
  }

  /**
   * Runs the cache's timers in virtual time up to `until` (absolute, as `time.now()` reads it;
   * default: until nothing is left within the horizon), stopping early once `stopWhen()` holds.
   * In `{ sleepMs }` mode the first pass sleeps and later ones do nothing.
   */
  async pass(eviction: Eviction, options: { until?: number; stopWhen: () => boolean }): Promise<void> {
    const first = this.#eviction === undefined;
    this.#eviction = eviction;
    const started = harnessNow();
    if (this.#mode !== 'virtual-time') {
      if (first) {
        await sleep(this.#mode.sleepMs);
        this.#ended = 'slept';
      }
    } else {
      const advanced = await this.#time.advance({ ...options, realTimeBudgetMs: this.#budgetMs });
      this.#timerRuns += advanced.runs.length;
      this.#virtualMs = advanced.now - eviction.startedAt;
      if (!FINAL_ENDS.includes(this.#ended)) this.#ended = ADVANCE_ENDS[advanced.ended];
      this.#pending = advanced.pending.flatMap((timer) =>
        timer.reason === 'after-until'
          ? []
          : [{ delayMs: timer.delayMs, repeats: timer.repeats, dueInMs: Math.round(timer.dueAt - eviction.startedAt), runs: timer.runs, reason: timer.reason, armedAt: timer.site }],
      );
    }
    this.#realMs += harnessNow() - started;
  }

  /** Why the harness stopped running the case's timers, so far. */
  get ended(): SettleEnd {
    return this.#ended;
  }

  outcome(): SettleOutcome {
    return {
      mode: this.#mode === 'virtual-time' ? 'virtual-time' : 'sleep',
      ended: this.#ended,
      virtualMs: Math.round(this.#virtualMs),
      timerRuns: this.#timerRuns,
      realMs: Math.round(this.#realMs),
      pending: this.#pending,
    };
  }
}
