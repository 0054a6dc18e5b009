import { clearImmediate, clearTimeout, setImmediate } from 'node:timers';
import { describeValue } from '@no-close-on-evict/cache-core/option-checks';
import { checkedNumber } from '../util/checked-number.js';
import { harnessNow, wallNow } from '../util/harness-clock.js';
import { CLIENT_MODULES, captureCallSites, describeSites, siteOwner } from './call-site.js';
import { TimerInternalsError, fireNow, isInterval, isNodeTimeout, restoreDelay, timerDelay, verifyTimerInternals } from './node-timers.js';
import type { NodeTimeout } from './node-timers.js';
import { outsideScopes } from './scope-context.js';
import { useScopedClock } from './scoped-clock.js';

export interface VirtualTimeOptions {
  /**
   * How far repeating work is followed, in virtual ms: interval ticks after their first, a timer
   * refreshed after it ran, and a chain re-arming a timer from the same line (a sweep re-arming
   * itself) run only while due at most this long after the later of the first advance's start and
   * the last one-shot timer that ran. One-shot timers run at any delay, whether armed from a call
   * (create, set, evict, a promise chain) or by another timer's run. Default 3_600_000 (one hour).
   */
  horizonMs?: number;
  /**
   * Runs allowed to one interval, or to one chain of timers armed by timers, per case. Bounds the
   * cost of a short interval that closes nothing: a 1 s metrics tick runs 250 times, not 3600,
   * within the default horizon; a period of 15 s or more is followed through the whole hour. Repeating
   * work stopped by this limit gets one last run with the clock at the horizon's end, so a sweep
   * closing what was evicted more than its threshold ago still sees the threshold pass.
   * Default 250.
   */
  maxRunsPerTimer?: number;
  /** Packages whose timers and clock reads are the client's, not the cache's. Default `CLIENT_MODULES`. */
  clientModules?: readonly string[];
}

/** A timer the cache armed in a case. Times are the case's virtual time, as `now()` reads it. */
export interface CacheTimer {
  /** Its async_hooks id, unique in the process. */
  readonly id: number;
  /** The delay it was armed with; an interval's period. */
  readonly delayMs: number;
  readonly repeats: boolean;
  /** When it was last armed: set, refreshed, or re-armed by its interval. */
  readonly armedAt: number;
  /** When it is due: `armedAt + delayMs`. */
  readonly dueAt: number;
  /** The first frames of the code that armed it. */
  readonly site: string;
  /** The timer whose run armed it (a re-arm), if any. */
  readonly armedBy: number | undefined;
}

/** One run of a cache timer, in the order they ran. */
export interface TimerRun extends CacheTimer {
  /** 1 for its first run. */
  readonly run: number;
  /** True when virtual time brought it forward; false when it fell due in real time. */
  readonly broughtForward: boolean;
}

/** Why a scheduled cache timer was left for later. */
export type LeftReason =
  /** Due after the advance's `until`. */
  | 'after-until'
  /** Repeating work due past the horizon (`horizonMs`). */
  | 'past-horizon'
  /** Its interval or chain already ran `maxRunsPerTimer` times. */
  | 'run-limit'
  /** The advance ended first (stopped, out of real time, disposed). */
  | 'not-reached';

/** A cache timer still scheduled: its runs so far, and why an advance left it (the report's `PendingTimer` is built from it). */
export interface ScheduledCacheTimer extends CacheTimer {
  readonly runs: number;
  readonly reason: LeftReason;
}

/** Why an advance returned. */
export type AdvanceEnd =
  /** Nothing left to run up to `until` within the horizon. */
  | 'idle'
  /** `stopWhen` returned true. */
  | 'stopped'
  /** `realTimeBudgetMs` ran out with work still running (e.g. a cache spinning on setImmediate). */
  | 'budget'
  /** `dispose()` was called during the advance. */
  | 'disposed';

export interface AdvanceOptions {
  /** Virtual time to stop at (the clock ends there); default: until nothing is left to run. */
  until?: number;
  /** Real-time bound on the whole advance, ms. Default 5000. */
  realTimeBudgetMs?: number;
  /** Checked between runs; true ends the advance (e.g. a close was already recorded). */
  stopWhen?: () => boolean;
}

export interface AdvanceResult {
  ended: AdvanceEnd;
  /** The case's virtual time when the advance returned. */
  now: number;
  /** Cache timers that ran during the advance, brought forward or not, in order. */
  runs: TimerRun[];
  /** Cache timers still scheduled, each with the reason it did not run. */
  pending: ScheduledCacheTimer[];
}

/** How far repeating work is followed by default: an hour of virtual time. */
export const DEFAULT_HORIZON_MS = 3_600_000;
const DEFAULT_MAX_RUNS = 250;
const DEFAULT_BUDGET_MS = 5000;

/**
 * The work a run schedules that an advance waits for before the next run: ticks, microtasks,
 * immediates and one-off requests (fs, dns, connect, write). Not sockets, servers or promises,
 * which may legitimately stay open (an undici close() promise waits for in-flight requests).
 */
const SHORT_TASK = /^(?:Immediate|TickObject|Microtask|FSREQ\w*|\w*REQWRAP|QUERYWRAP|\w*CONNECTWRAP|WRITEWRAP|SHUTDOWNWRAP|SENDWRAP)$/;

interface TimerRecord {
  readonly id: number;
  readonly timer: NodeTimeout;
  readonly delayMs: number;
  readonly repeats: boolean;
  readonly site: string;
  readonly sequence: number;
  readonly parent: TimerRecord | undefined;
  /** The id of the first timer of its chain (its own for a timer armed from a call). */
  readonly chain: number;
  /** Armed from the same line as a timer earlier in its chain: a sweep re-arming itself. */
  readonly rearms: boolean;
  armedAt: number;
  runs: number;
  broughtForward: boolean;
}

interface TaskRecord {
  readonly type: string;
  readonly resource: object;
  /** Only the cache's own immediates are cleared when the case ends. */
  readonly clearAtEnd: boolean;
}

// Virtual times are sums of fractional ms (an interval's ticks add up its period): two within a
// microsecond are one instant, so a timer due exactly at `until` or at the horizon still runs.
export const SAME_INSTANT_MS = 0.001;
const isLater = (time: number, limit: number): boolean => time > limit + SAME_INSTANT_MS;

const dueAt = (record: TimerRecord): number => record.armedAt + record.delayMs;

/** True when a timer armed at `site` was armed from the same line as a timer earlier in its chain. */
function armedFromSameLine(site: string, parent: TimerRecord | undefined): boolean {
  const line = site.split('\n', 1)[0];
  if (!line) return false;
  for (let ancestor = parent; ancestor !== undefined; ancestor = ancestor.parent) {
    if (ancestor.site.split('\n', 1)[0] === line) return true;
  }
  return false;
}

function timerInfo(record: TimerRecord): CacheTimer {
  return {
    id: record.id,
    delayMs: record.delayMs,
    repeats: record.repeats,
    armedAt: record.armedAt,
    dueAt: dueAt(record),
    site: record.site,
    armedBy: record.parent?.id,
  };
}

const timersByHandle = new WeakMap<object, { time: VirtualTime; record: TimerRecord }>();

/** Re-dates a cache timer re-armed with `refresh()` (an idle timer pushed back on each use). */
export function noteRefresh(timer: object): void {
  const owner = timersByHandle.get(timer);
  if (owner) owner.record.armedAt = owner.time.now();
}

/**
 * One case's virtual time. The resource tracker hands it every async resource the case's cache
 * code creates; it keeps the cache's timers (not the clients', the harness's or the runner's),
 * brings them forward in order of their virtual due time, and moves the clocks that code reads.
 */
export class VirtualTime {
  readonly #horizonMs: number;
  readonly #maxRuns: number;
  readonly #clientModules: readonly string[];
  #offset = 0;
  /** Set while the clock stands still: during an advance, and while held. */
  #frozenAt: number | undefined;
  #holds = 0;
  readonly #timers = new Map<number, TimerRecord>();
  readonly #tasks = new Map<number, TaskRecord>();
  readonly #chainRuns = new Map<number, number>();
  /** When each chain at the run limit had its last run, at the horizon's end. */
  readonly #lastTicks = new Map<number, number>();
  readonly #runs: TimerRun[] = [];
  #sequence = 0;
  #running: TimerRecord | undefined;
  #step: TimerRecord | undefined;
  #anchor: number | undefined;
  #lastOneShotDue = Number.NEGATIVE_INFINITY;
  #advancing = false;
  #disposed = false;
  /** Timeouts whose internals did not match (a Node release changed them): advance() throws. */
  #unsupportedTimers = 0;
  #releaseClock: (() => void) | undefined;
  /**
   * Whole ms from the harness's clock to the case's wall clock: set when the case begins, and set
   * again at the first hold, while the cache's code still reads the real `Date.now()` (see hold()).
   */
  #wallBase = Math.round(wallNow() - harnessNow());
  /** Whether the cache's code may have read the case's own wall clock: then it must not move. */
  #wallBaseFixed = false;

  constructor(options: VirtualTimeOptions = {}) {
    this.#horizonMs = checkedNumber('horizonMs', options.horizonMs, { fallback: DEFAULT_HORIZON_MS, allowZero: true, allowInfinity: true });
    this.#maxRuns = checkedNumber('maxRunsPerTimer', options.maxRunsPerTimer, { fallback: DEFAULT_MAX_RUNS, integer: true });
    const clientModules: unknown = options.clientModules ?? CLIENT_MODULES;
    if (!Array.isArray(clientModules) || !clientModules.every((name) => typeof name === 'string' && name !== '')) {
      throw new TypeError(`clientModules must be an array of package names, got ${describeValue(clientModules)}`);
    }
    this.#clientModules = clientModules as string[];
  }

  /** The case's virtual time, ms on the harness's monotonic timeline; equal to it until advanced. */
  now(): number {
    return this.#frozenAt ?? harnessNow() + this.#offset;
  }

  /**
   * What a clock read by `reader`'s caller in this case adds to real time: the virtual offset for
   * the cache's own code, 0 for the clients', the harness's and Node's transports'.
   */
  clockOffset(reader: (...args: never[]) => unknown): number {
    const offset = this.now() - harnessNow();
    if (offset === 0 || this.#disposed) return 0;
    return siteOwner(captureCallSites(reader), this.#clientModules) === 'cache' ? offset : 0;
  }

  /**
   * What `Date.now()` reads for `reader`'s caller in this case: whole virtual ms on the case's own
   * wall clock; undefined for real time (the clients', the harness's, or while the clock has not moved).
   */
  wallClock(reader: (...args: never[]) => unknown): number | undefined {
    if (this.clockOffset(reader) === 0) return undefined;
    return this.#wallBase + Math.floor(this.now());
  }

  /**
   * Stops the case's clock until the returned function is called. Hold it around the eviction:
   * the eviction is then one instant of virtual time, and a timer it arms is due exactly its delay
   * after the eviction began, however long the evict call took in real time. On release the clock
   * catches up with real time; it never runs backwards.
   */
  hold(): () => void {
    if (this.#holds === 0) {
      this.#freeze();
      // The held instant is a whole ms of the case's wall clock: `Date.now() - evictedAt` then
      // reaches a threshold exactly when that much virtual time has passed, never a fraction early.
      this.#frozenAt = Math.ceil(this.#frozenAt ?? this.now());
      // Until now the cache read the real Date.now(), so an `evictedAt` taken during the eviction is
      // real too. Put the held instant on the real wall clock's last whole ms: the cache's
      // `evictedAt` is then never below it, and its `Date.now() - evictedAt` never reaches a
      // threshold before that much virtual time has passed (a rounded base could make it 1 ms early).
      if (!this.#wallBaseFixed) this.#wallBase = Math.floor(wallNow()) - this.#frozenAt;
      this.#wallBaseFixed = true;
    } else {
      this.#freeze();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#thaw();
    };
  }

  #freeze(): void {
    if (this.#holds++ === 0) this.#frozenAt = this.now();
  }

  #thaw(): void {
    if (--this.#holds > 0 || this.#frozenAt === undefined) return;
    this.#offset = Math.max(this.#offset, this.#frozenAt - harnessNow());
    this.#frozenAt = undefined;
  }

  /** The run of the cache timer running now, or whose run the current advance step is following. */
  currentRun(): TimerRun | undefined {
    const record = this.#running ?? this.#step;
    return record && this.#runs.findLast((run) => run.id === record.id);
  }

  /** Every cache timer still scheduled, and why an advance up to `until` would leave it. */
  pending(until = Number.POSITIVE_INFINITY): ScheduledCacheTimer[] {
    return [...this.#timers.values()].map((record) => ({
      ...timerInfo(record),
      runs: record.runs,
      reason: this.#leftReason(record, until) ?? 'not-reached',
    }));
  }

  /**
   * Runs the cache's timers in order of their virtual due time, each brought forward to now with
   * the case's clock set to its due time, waiting between runs for the short tasks each run
   * schedules. Resolves once nothing is left to run up to `until` within the horizon.
   */
  async advance(options: AdvanceOptions = {}): Promise<AdvanceResult> {
    if (this.#disposed) throw new Error('VirtualTime.advance() called after dispose()');
    if (this.#advancing) throw new Error('VirtualTime.advance() called while an advance is running');
    this.#advancing = true;
    this.#wallBaseFixed = true;
    try {
      return await outsideScopes(async () => {
        await verifyTimerInternals();
        if (this.#unsupportedTimers > 0) {
          throw new TimerInternalsError(
            `${this.#unsupportedTimers} timer(s) the cache armed lack the Node internals virtual time moves ` +
              `(Node ${process.version}); they cannot be brought forward. Please report this with your Node version.`,
          );
        }
        this.#releaseClock ??= useScopedClock();
        return await this.#run(options);
      });
    } finally {
      this.#advancing = false;
    }
  }

  /**
   * Ends the case: clears every cache timer and immediate still scheduled, so nothing the case
   * scheduled runs after it ended, and puts the real clocks back once no case needs them.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const timers = [...this.#timers.values()];
    const tasks = [...this.#tasks.values()];
    this.#timers.clear();
    this.#tasks.clear();
    for (const record of timers) clearTimeout(record.timer as unknown as NodeJS.Timeout);
    for (const task of tasks) if (task.clearAtEnd) clearImmediate(task.resource as NodeJS.Immediate);
    this.#releaseClock?.();
    this.#releaseClock = undefined;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  // --- fed by the resource tracker (async_hooks); must never throw ---

  /** A resource created in this case's async context. */
  adopt(asyncId: number, type: string, resource: object, sites: readonly NodeJS.CallSite[]): void {
    if (this.#disposed) return;
    if (type !== 'Timeout') {
      if (SHORT_TASK.test(type)) {
        const clearAtEnd = type === 'Immediate' && siteOwner(sites, this.#clientModules) === 'cache';
        this.#tasks.set(asyncId, { type, resource, clearAtEnd });
      }
      return;
    }
    if (siteOwner(sites, this.#clientModules) !== 'cache') return;
    if (!isNodeTimeout(resource)) {
      this.#unsupportedTimers++;
      return;
    }
    const parent = this.#running ?? this.#step;
    const site = describeSites(sites);
    const record: TimerRecord = {
      id: asyncId,
      timer: resource,
      delayMs: timerDelay(resource),
      repeats: isInterval(resource),
      site,
      sequence: this.#sequence++,
      parent,
      chain: parent?.chain ?? asyncId,
      rearms: armedFromSameLine(site, parent),
      armedAt: this.now(),
      runs: 0,
      broughtForward: false,
    };
    this.#timers.set(asyncId, record);
    timersByHandle.set(resource, { time: this, record });
  }

  before(asyncId: number): void {
    const record = this.#timers.get(asyncId);
    if (!record) return;
    restoreDelay(record.timer, record.delayMs);
    // A timer that fell due in real time while the clock stood still runs at its due time too.
    if (this.#frozenAt !== undefined && !record.broughtForward) this.#frozenAt = Math.max(this.#frozenAt, dueAt(record));
    if (!this.#isRepeatingWork(record)) this.#lastOneShotDue = Math.max(this.#lastOneShotDue, dueAt(record));
    record.runs++;
    this.#chainRuns.set(record.chain, (this.#chainRuns.get(record.chain) ?? 0) + 1);
    this.#runs.push({ ...timerInfo(record), run: record.runs, broughtForward: record.broughtForward });
    this.#running = record;
  }

  after(asyncId: number): void {
    const record = this.#timers.get(asyncId);
    if (!record) return;
    if (this.#running === record) this.#running = undefined;
    // Node re-arms an interval itself (no refresh() call): its next tick is one period after this one.
    if (record.repeats) record.armedAt = Math.max(this.now(), dueAt(record));
    record.broughtForward = false;
  }

  forget(asyncId: number): void {
    const record = this.#timers.get(asyncId);
    if (record && this.#running === record) this.#running = undefined;
    this.#timers.delete(asyncId);
    this.#tasks.delete(asyncId);
  }

  // --- the advance loop ---

  /**
   * An interval after its first tick, a timer that ran and was refreshed, or a timer a chain re-armed
   * from the same line. A one-shot timer armed by another timer's run is not: it runs at any delay.
   */
  #isRepeatingWork(record: TimerRecord): boolean {
    return record.runs > 0 || record.rearms;
  }

  #horizonEnd(): number {
    return Math.max(this.#anchor ?? this.now(), this.#lastOneShotDue) + this.#horizonMs;
  }

  #leftReason(record: TimerRecord, until: number): LeftReason | undefined {
    const planned = this.#plan(record, until);
    return typeof planned === 'number' ? undefined : planned;
  }

  /**
   * When `record` runs next in virtual time, or why it does not. Repeating work at the run limit
   * gets one last run at the horizon's end (again if a later one-shot timer moved that end): a
   * 1 s reaper closing clients evicted over 10 min ago stops after 250 ticks, short of its
   * threshold, and its last tick is what sees the threshold pass.
   */
  #plan(record: TimerRecord, until: number): number | LeftReason {
    const repeating = this.#isRepeatingWork(record);
    let due = dueAt(record);
    if ((repeating || record.parent !== undefined) && (this.#chainRuns.get(record.chain) ?? 0) >= this.#maxRuns) {
      const end = this.#horizonEnd();
      const lastTickAt = this.#lastTicks.get(record.chain);
      if (!repeating || (lastTickAt !== undefined && !isLater(end, lastTickAt))) return 'run-limit';
      due = Math.max(due, end);
    }
    if (isLater(due, until)) return 'after-until';
    if (repeating && isLater(due, this.#horizonEnd())) return 'past-horizon';
    return due;
  }

  #next(until: number): { record: TimerRecord; due: number } | undefined {
    let next: { record: TimerRecord; due: number } | undefined;
    for (const record of this.#timers.values()) {
      const due = this.#plan(record, until);
      if (typeof due !== 'number') continue;
      if (!next || due < next.due || (due === next.due && record.sequence < next.record.sequence)) next = { record, due };
    }
    return next;
  }

  #stepFinished(runsBefore: number): boolean {
    const step = this.#step;
    return step === undefined || !this.#timers.has(step.id) || step.runs > runsBefore;
  }

  #run(options: AdvanceOptions): Promise<AdvanceResult> {
    const until = checkedNumber('until', options.until, { fallback: Number.POSITIVE_INFINITY, allowNegative: true, allowInfinity: true });
    const deadline = harnessNow() + checkedNumber('realTimeBudgetMs', options.realTimeBudgetMs, { fallback: DEFAULT_BUDGET_MS, allowInfinity: true });
    if (options.stopWhen !== undefined && typeof options.stopWhen !== 'function') {
      throw new TypeError(`stopWhen must be a function () => boolean, got ${describeValue(options.stopWhen)}`);
    }
    const firstRun = this.#runs.length;
    this.#anchor ??= this.now();
    // The clock stands still during an advance and jumps from due time to due time, so a timer
    // re-armed by a run is dated exactly one delay after it.
    this.#freeze();
    const jumpTo = (time: number) => {
      this.#frozenAt = Math.max(this.#frozenAt ?? time, time);
    };
    let stepRunsBefore = 0;

    return new Promise((resolve) => {
      const finish = (ended: AdvanceEnd) => {
        if (ended === 'idle' && until !== Number.POSITIVE_INFINITY) jumpTo(until);
        this.#thaw();
        this.#step = undefined;
        resolve({
          ended,
          now: this.now(),
          runs: this.#runs.slice(firstRun),
          pending: this.#disposed ? [] : this.pending(until),
        });
      };
      const step = () => {
        if (this.#disposed) return finish('disposed');
        // Checked first: once the caller has what it waited for, the rest of a run's work is moot.
        if (options.stopWhen?.()) return finish('stopped');
        const waiting = !this.#stepFinished(stepRunsBefore) || this.#tasks.size > 0;
        if (waiting) {
          if (harnessNow() > deadline) return finish('budget');
          return void setImmediate(step);
        }
        this.#step = undefined;
        if (harnessNow() > deadline) return finish('budget');
        const planned = this.#next(until);
        if (!planned) return finish('idle');
        const next = planned.record;
        if ((this.#chainRuns.get(next.chain) ?? 0) >= this.#maxRuns) this.#lastTicks.set(next.chain, planned.due);
        jumpTo(planned.due);
        this.#step = next;
        stepRunsBefore = next.runs;
        next.broughtForward = true;
        fireNow(next.timer);
        setImmediate(step);
      };
      setImmediate(step);
    });
  }
}
