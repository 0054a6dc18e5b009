import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * The fields of Node's `Timeout` (what `setTimeout`, `setInterval` and `timers/promises` create)
 * that virtual time relies on. They are Node internals, read and written only in this module;
 * `timerInternalsProblems` and `verifyTimerInternals` fail loudly if a Node release changes them.
 */
export interface NodeTimeout {
  /** The delay Node re-arms the timer with; -1 once cleared. */
  _idleTimeout: number;
  /** The period of an interval, null for a one-shot timer. */
  _repeat: number | null;
  /** The callback; null once cleared. */
  _onTimeout: ((...args: unknown[]) => void) | null;
  _destroyed: boolean;
  refresh(): NodeTimeout;
}

type Refresh = (this: NodeTimeout) => NodeTimeout;

interface TimeoutPrototype {
  refresh: Refresh;
}

let prototypeAndRefresh: { prototype: TimeoutPrototype; nodeRefresh: Refresh } | undefined;

/** Node's `Timeout.prototype` and its own `refresh`, read from a throwaway timer on first use. */
function timeoutPrototype(): { prototype: TimeoutPrototype; nodeRefresh: Refresh } {
  if (prototypeAndRefresh === undefined) {
    const throwaway = setTimeout(() => undefined, 1);
    clearTimeout(throwaway);
    const prototype = Object.getPrototypeOf(throwaway) as TimeoutPrototype;
    prototypeAndRefresh = { prototype, nodeRefresh: prototype.refresh };
  }
  return prototypeAndRefresh;
}

/** What does not match what virtual time expects of a Node `Timeout`; empty when all is well. */
export function timerInternalsProblems(timer: object): string[] {
  const field = (name: string): unknown => Reflect.get(timer, name);
  const problems: string[] = [];
  if (typeof field('_idleTimeout') !== 'number') problems.push('_idleTimeout is not a number');
  const repeat = field('_repeat');
  if (repeat !== null && typeof repeat !== 'number') problems.push('_repeat is neither null nor a number');
  const onTimeout = field('_onTimeout');
  if (onTimeout !== null && typeof onTimeout !== 'function') problems.push('_onTimeout is neither null nor a function');
  if (typeof field('_destroyed') !== 'boolean') problems.push('_destroyed is not a boolean');
  if (typeof field('refresh') !== 'function') problems.push('refresh() is missing');
  return problems;
}

export function isNodeTimeout(resource: object): resource is NodeTimeout {
  return timerInternalsProblems(resource).length === 0;
}

/** The delay a timer was armed with (an interval's period). */
export function timerDelay(timer: NodeTimeout): number {
  return timer._repeat ?? timer._idleTimeout;
}

export const isInterval = (timer: NodeTimeout): boolean => timer._repeat !== null;

/**
 * Makes Node run `timer` in its next timers phase, with its own async context. Node files a
 * timer under its `_idleTimeout` and fires it once that much time has passed since `refresh()`;
 * 0 is due at once. The delay must be put back before the callback runs (`restoreDelay`, from
 * the async_hooks `before` hook) so that a callback re-arming the timer with `refresh()` gets its
 * real delay; an interval is re-armed by Node at `_repeat` anyway.
 */
export function fireNow(timer: NodeTimeout): void {
  timer._idleTimeout = 0;
  Reflect.apply(timeoutPrototype().nodeRefresh, timer, []);
}

export function restoreDelay(timer: NodeTimeout, delayMs: number): void {
  if (timer._idleTimeout === 0) timer._idleTimeout = delayMs;
}

/**
 * Calls `onRefresh` whenever any timer's `refresh()` is called (a cache re-arming an idle timer on
 * use), until the returned function is called. `fireNow` is not reported.
 */
export function observeRefresh(onRefresh: (timer: NodeTimeout) => void): () => void {
  const { prototype, nodeRefresh } = timeoutPrototype();
  prototype.refresh = function refresh(this: NodeTimeout) {
    const result = Reflect.apply(nodeRefresh, this, []) as NodeTimeout;
    onRefresh(this);
    return result;
  };
  return () => {
    prototype.refresh = nodeRefresh;
  };
}

/** Thrown when this Node's timers do not behave as virtual time needs: never a silent pass. */
export class TimerInternalsError extends Error {
  override name = 'TimerInternalsError';
}

const PROBE_TURNS = 50;
let verified: Promise<void> | undefined;

async function probeFireNow(): Promise<void> {
  let ran = false;
  const timer: object = setTimeout(() => (ran = true), 3_600_000).unref();
  const problems = timerInternalsProblems(timer);
  if (problems.length > 0 || !isNodeTimeout(timer)) {
    clearTimeout(timer as NodeJS.Timeout);
    throw new TimerInternalsError(
      `Node ${process.version} changed its Timeout internals (${problems.join('; ')}); ` +
        'the harness cannot bring timers forward. Please report this with your Node version.',
    );
  }
  fireNow(timer);
  for (let turn = 0; turn < PROBE_TURNS && !ran; turn++) await nextTurn();
  if (!ran) {
    clearTimeout(timer as unknown as NodeJS.Timeout);
    throw new TimerInternalsError(
      `Node ${process.version} did not run a timer brought forward with _idleTimeout = 0 and refresh() ` +
        `within ${PROBE_TURNS} event-loop turns; the harness cannot bring timers forward. Please report this with your Node version.`,
    );
  }
}

/** Checks once per process that timers can be brought forward on this Node; rejects loudly if not. */
export function verifyTimerInternals(): Promise<void> {
  verified ??= probeFireNow();
  return verified;
}
