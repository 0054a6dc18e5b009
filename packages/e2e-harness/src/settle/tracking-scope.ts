import type { EvictionPath } from '../eviction-paths.js';
import { scopes } from './scope-context.js';
import { VirtualTime } from './virtual-time.js';

/** An async resource created inside a tracked scope (directly or by its deferred callbacks). */
export interface TrackedResource {
  readonly type: string;
  /** Where it was created, first frames only. */
  readonly stack: string;
}

interface ScopeBase {
  /** Live resources keyed by async id; destroyed ones are removed. */
  readonly resources: Map<number, TrackedResource>;
  /** The case's virtual time: its clock, and the cache timers it can bring forward. */
  readonly time: VirtualTime;
}

/** One call of an adapter's evict function, and everything it scheduled. */
export interface Eviction extends ScopeBase {
  readonly kind: 'eviction';
  readonly path: EvictionPath;
  readonly key: string;
  /** The case's virtual time (`time.now()`) when the eviction began. */
  readonly startedAt: number;
}

/**
 * The cache's own calls (create, set) and what they scheduled: a reaper timer armed there may
 * close an evicted client later, outside the eviction's async context. One per case.
 */
export interface CacheScope extends ScopeBase {
  readonly kind: 'cache';
  /** The latest eviction of this case, which a close from a cache timer follows. */
  lastEviction: Eviction | undefined;
}

export type TrackingScope = Eviction | CacheScope;

/** Opens a case: its cache scope, on `time` (a fresh `VirtualTime` by default). */
export function openCacheScope(time: VirtualTime = new VirtualTime()): CacheScope {
  return { kind: 'cache', resources: new Map(), time, lastEviction: undefined };
}

export function beginEviction(path: EvictionPath, key: string, cacheScope: CacheScope): Eviction {
  const { time } = cacheScope;
  const eviction: Eviction = { kind: 'eviction', path, key, startedAt: time.now(), resources: new Map(), time };
  cacheScope.lastEviction = eviction;
  return eviction;
}

/** The scope whose async context the caller runs in, even from a deferred callback. */
export function currentScope(): TrackingScope | undefined {
  return scopes.getStore() as TrackingScope | undefined;
}

/** Runs `task` so that every task it schedules, however deferred, belongs to `scope`. */
export function runInScope<T>(scope: TrackingScope, task: () => T): T {
  return scopes.run(scope, task);
}
