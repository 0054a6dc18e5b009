import { harnessNow } from '../harness-clock.js';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { CacheScope, Eviction, TrackedResource } from './tracking-scope.js';

/** How the harness waits after an eviction before it looks at the clients. */
export type SettleMode =
  /** Wait until every task the eviction scheduled has run, up to the cap. */
  | 'track'
  /** Sleep a fixed time, as LiteLLM's tests do; anything later is missed. For comparison. */
  | { sleepMs: number };

export interface PendingResource {
  /** async_hooks type, e.g. `Timeout`, `Immediate`, `TCPWRAP`. */
  type: string;
  /** Timer delay in ms, for timers. */
  delayMs?: number;
  /** First frames of the code that created it. */
  createdAt: string;
}

/** Why the harness stopped waiting. */
export type SettleEnd =
  /** Everything due within the cap has run (timers due later are in `pending`). */
  | 'settled'
  /** The cap elapsed with work still due inside it. */
  | 'cap'
  /** The tripwire saw a close: the case had failed already. */
  | 'close-observed'
  /** `{ sleepMs }` mode: the fixed sleep ended. */
  | 'slept'
  /** The case failed before its eviction: nothing was waited for. */
  | 'not-reached';

export interface SettleOutcome {
  mode: 'track' | 'sleep';
  ended: SettleEnd;
  /** Time from the start of the eviction until the harness stopped waiting. */
  waitedMs: number;
  /** Async resources the eviction created, transitively. */
  trackedResources: number;
  /** What was still scheduled when the harness stopped waiting (a correct cache may arm timers). */
  pending: PendingResource[];
}

export interface SettleOptions {
  mode: SettleMode;
  capMs: number;
  /** Stops waiting early, e.g. once a close was already observed. */
  stopWhen?: () => boolean;
  /** The evict call itself did not return within the cap: there is nothing left to wait for. */
  evictStalled?: boolean;
}

const POLL_MS = 1;

const modeName = (mode: SettleMode): SettleOutcome['mode'] => (mode === 'track' ? 'track' : 'sleep');

function dueAt(resource: TrackedResource): number | undefined {
  return resource.delayMs === undefined ? undefined : resource.createdAt + resource.delayMs;
}

/** Work the eviction scheduled, except timers due after the cap and intervals that ticked once. */
function evictionWorkDue(resource: TrackedResource, deadline: number): boolean {
  if (resource.repeats && resource.lastRunAt !== undefined) return false;
  const due = dueAt(resource);
  return due === undefined || due <= deadline;
}

/**
 * One pass of the cache's own timers, e.g. a reaper armed at create or set that closes what
 * eviction queued: a timer armed before the eviction and due within the cap must fire, an
 * interval due within the cap must tick once, and the non-timer tasks that pass starts must run.
 * Timers armed after the eviction began (a reaper re-arming itself) are the next pass: not awaited.
 */
function cacheWorkDue(resource: TrackedResource, eviction: Eviction, deadline: number): boolean {
  const armedBefore = resource.createdAt < eviction.startedAt;
  if (resource.delayMs === undefined) return !armedBefore;
  if (resource.repeats) {
    const tickedSince = resource.lastRunAt !== undefined && resource.lastRunAt >= eviction.startedAt;
    return !tickedSince && (resource.lastRunAt ?? resource.createdAt) + resource.delayMs <= deadline;
  }
  return armedBefore && resource.createdAt + resource.delayMs <= deadline;
}

function describePending(resources: Iterable<TrackedResource>): PendingResource[] {
  return [...resources].map((resource) => ({
    type: resource.type,
    ...(resource.delayMs === undefined ? {} : { delayMs: resource.delayMs }),
    createdAt: resource.stack,
  }));
}

function dueWork(eviction: Eviction, cache: CacheScope, deadline: number): TrackedResource[] {
  return [
    ...[...eviction.resources.values()].filter((resource) => evictionWorkDue(resource, deadline)),
    ...[...cache.resources.values()].filter((resource) => cacheWorkDue(resource, eviction, deadline)),
  ];
}

async function waitForTrackedWork(eviction: Eviction, cache: CacheScope, options: SettleOptions): Promise<SettleEnd> {
  const deadline = eviction.startedAt + options.capMs;
  for (;;) {
    // One macrotask turn flushes the microtasks and nextTicks the eviction queued.
    await nextTurn();
    if (options.stopWhen?.()) return 'close-observed';
    if (dueWork(eviction, cache, deadline).length === 0) return 'settled';
    if (harnessNow() >= deadline) return 'cap';
    await sleep(POLL_MS);
  }
}

async function sleepFixed(ms: number): Promise<SettleEnd> {
  await sleep(ms);
  return 'slept';
}

/**
 * Waits until every non-promise task `eviction` scheduled has run, and one pass of the cache's
 * own timers, bounded by `capMs` from the start of the eviction. Timers due after the cap are
 * not waited for: they are reported pending.
 */
export async function settle(eviction: Eviction, cache: CacheScope, options: SettleOptions): Promise<SettleOutcome> {
  let ended: SettleEnd;
  if (options.evictStalled) ended = options.stopWhen?.() ? 'close-observed' : 'cap';
  else if (options.mode === 'track') ended = await waitForTrackedWork(eviction, cache, options);
  else ended = await sleepFixed(options.mode.sleepMs);
  const deadline = eviction.startedAt + options.capMs;
  const unfinishedCacheWork = [...cache.resources.values()].filter((resource) => cacheWorkDue(resource, eviction, deadline));
  return {
    mode: modeName(options.mode),
    ended,
    waitedMs: Math.round(harnessNow() - eviction.startedAt),
    trackedResources: eviction.trackedCount,
    pending: describePending([...eviction.resources.values(), ...unfinishedCacheWork]),
  };
}

/** The outcome of a case that failed before its eviction. */
export function notReached(mode: SettleMode): SettleOutcome {
  return { mode: modeName(mode), ended: 'not-reached', waitedMs: 0, trackedResources: 0, pending: [] };
}
