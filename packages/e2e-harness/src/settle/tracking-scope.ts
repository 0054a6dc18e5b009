import { AsyncLocalStorage } from 'node:async_hooks';
import { harnessNow } from '../harness-clock.js';
import type { EvictionPath } from '../adapter.js';

/** An async resource created inside a tracked scope (directly or by its deferred callbacks). */
export interface TrackedResource {
  readonly type: string;
  /** `harnessNow()` when it was created. */
  readonly createdAt: number;
  /** Timer delay in ms, when the resource is a timer. */
  readonly delayMs: number | undefined;
  /** True for intervals, which never end by themselves. */
  readonly repeats: boolean;
  /** `harnessNow()` when its callback last ran. */
  lastRunAt: number | undefined;
  /** Where it was created, first frames only. */
  readonly stack: string;
}

interface ScopeBase {
  /** Live resources keyed by async id; destroyed ones are removed. */
  readonly resources: Map<number, TrackedResource>;
  /** How many resources were ever tracked. */
  trackedCount: number;
}

/** One call of an adapter's evict function, and everything it scheduled. */
export interface Eviction extends ScopeBase {
  readonly kind: 'eviction';
  readonly path: EvictionPath;
  readonly key: string;
  readonly startedAt: number;
}

/**
 * The cache's own calls (create, set) and what they scheduled: a reaper timer armed there may
 * close an evicted client later, outside the eviction's async context.
 */
export interface CacheScope extends ScopeBase {
  readonly kind: 'cache';
  /** The latest eviction of this case, which a close from a cache timer follows. */
  lastEviction: Eviction | undefined;
}

export type TrackingScope = Eviction | CacheScope;

const scopes = new AsyncLocalStorage<TrackingScope>();

/** The scope whose async context the caller runs in, even from a deferred callback. */
export function currentScope(): TrackingScope | undefined {
  return scopes.getStore();
}

export function openCacheScope(): CacheScope {
  return { kind: 'cache', resources: new Map(), trackedCount: 0, lastEviction: undefined };
}

export function beginEviction(path: EvictionPath, key: string, cacheScope: CacheScope): Eviction {
  const eviction: Eviction = { kind: 'eviction', path, key, startedAt: harnessNow(), resources: new Map(), trackedCount: 0 };
  cacheScope.lastEviction = eviction;
  return eviction;
}

/** Runs `task` so that every task it schedules, however deferred, belongs to `scope`. */
export function runInScope<T>(scope: TrackingScope, task: () => T): T {
  return scopes.run(scope, task);
}
