import { AsyncLocalStorage } from 'node:async_hooks';
import type { TrackingScope } from './tracking-scope.js';

const scopes = new AsyncLocalStorage<TrackingScope>();

/** The scope whose async context the caller runs in, even from a deferred callback. */
export function currentScope(): TrackingScope | undefined {
  return scopes.getStore();
}

/** Runs `task` so that every task it schedules, however deferred, belongs to `scope`. */
export function runInScope<T>(scope: TrackingScope, task: () => T): T {
  return scopes.run(scope, task);
}

/** Runs `task` in no scope: the harness's own waiting must never be tracked as the cache's work. */
export function outsideScopes<T>(task: () => T): T {
  return scopes.exit(task);
}
