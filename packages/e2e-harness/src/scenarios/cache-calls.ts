import type { CacheAdapter } from '../adapter.js';
import type { EvictionPath } from '../eviction-paths.js';
import { classifyError } from '../report/classify-error.js';
import type { ErrorClassifier } from '../report/classify-error.js';
import type { ObservedError } from '../report/results.js';
import { trackResources } from '../settle/resource-tracker.js';
import { beginEviction, runInScope } from '../settle/tracking-scope.js';
import type { CacheScope, Eviction, TrackingScope } from '../settle/tracking-scope.js';
import { bounded } from '../util/bounded.js';
import type { BoundedOutcome } from '../util/bounded.js';

/** Where a call into the cache runs, and how long the harness waits for it. */
export interface CacheCallContext {
  /** The case's cache scope: timers the call arms are the cache's, in the case's virtual time. */
  readonly scope: TrackingScope;
  /** `callTimeoutMs`. */
  readonly timeoutMs: number;
}

/** The message of a call into the cache that did not return in time. */
export const hungCall = (what: string, timeoutMs: number): string => `${what} did not return within callTimeoutMs (${timeoutMs} ms)`;

/**
 * Runs one call into the cache (`create`, `set`, `get`, `lease`, a lease's `release`) in the
 * case's cache scope and waits for it at most `callTimeoutMs`. Resolves with what it returned;
 * rejects with what it threw, or with an Error naming the call when it hung.
 */
export async function callCache<T>(what: string, context: CacheCallContext, call: () => T): Promise<Awaited<T>> {
  const outcome = await bounded(async (): Promise<Awaited<T>> => await runInScope(context.scope, call), context.timeoutMs);
  if (outcome.status === 'returned') return outcome.value;
  if (outcome.status === 'threw') throw outcome.error;
  throw new Error(hungCall(what, context.timeoutMs));
}

/**
 * Runs `call` (the adapter's evict) as one eviction of `key` by `path` in the case's cache scope:
 * what it schedules is the eviction's, in the case's virtual time. Waits for it at most
 * `callTimeoutMs`, or until `stop` resolves (a close already failed the case).
 */
export async function evictBounded<T>(
  scope: CacheScope,
  eviction: { path: EvictionPath; key: string },
  timeoutMs: number,
  call: () => T | Promise<T>,
  stop?: Promise<void>,
): Promise<{ eviction: Eviction; outcome: BoundedOutcome<T> }> {
  const begun = beginEviction(eviction.path, eviction.key, scope);
  const stopTracking = trackResources(begun);
  try {
    return { eviction: begun, outcome: await bounded(() => runInScope(begun, call), timeoutMs, stop) };
  } finally {
    stopTracking();
  }
}

/**
 * Calls the adapter's shutdown in the cache scope, bounded by `callTimeoutMs`. A shutdown that
 * throws or hangs is the cache's failure, reported on the case; it must not cost the whole report.
 */
export async function shutDown<TCache>(
  adapter: CacheAdapter<TCache>,
  cache: TCache,
  context: CacheCallContext,
  classify: ErrorClassifier,
): Promise<ObservedError | undefined> {
  if (adapter.shutdown === undefined) return undefined;
  try {
    await callCache('shutdown', context, () => adapter.shutdown?.(cache));
    return undefined;
  } catch (error) {
    return classifyError(error, classify);
  }
}
