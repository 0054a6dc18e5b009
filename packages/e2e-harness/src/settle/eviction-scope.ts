import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { EvictionPath } from '../adapter.js';

/** An async resource created inside an eviction's async context. */
export interface TrackedResource {
  readonly type: string;
  /** `performance.now()` when it was created. */
  readonly createdAt: number;
  /** Timer delay in ms, when the resource is a timer. */
  readonly delayMs: number | undefined;
  /** Intervals never end by themselves: they count as settled after their first run. */
  readonly repeats: boolean;
  ran: boolean;
  /** Where it was created, first frames only. */
  readonly stack: string;
}

/** One call of an adapter's evict function, and everything it scheduled. */
export interface Eviction {
  readonly path: EvictionPath;
  readonly key: string;
  readonly startedAt: number;
  /** Live resources keyed by async id; destroyed ones are removed. */
  readonly resources: Map<number, TrackedResource>;
  /** How many resources were ever tracked. */
  trackedCount: number;
}

const scope = new AsyncLocalStorage<Eviction>();

/** The eviction whose async context the caller runs in, even from a deferred callback. */
export function currentEviction(): Eviction | undefined {
  return scope.getStore();
}

export function beginEviction(path: EvictionPath, key: string): Eviction {
  return { path, key, startedAt: performance.now(), resources: new Map(), trackedCount: 0 };
}

/** Runs `evict` so that every task it schedules, however deferred, belongs to `eviction`. */
export function runInEviction<T>(eviction: Eviction, evict: () => T): T {
  return scope.run(eviction, evict);
}
