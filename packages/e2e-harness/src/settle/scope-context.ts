import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The async context a case's cache calls run in, and everything they schedule however deferred.
 * It holds the scopes tracking-scope.ts opens, which give them their type: this module sits below
 * virtual time, which must step outside every scope, and so below what a scope holds.
 */
export const scopes = new AsyncLocalStorage<object>();

/** Runs `task` in no scope: the harness's own waiting must never be tracked as the cache's work. */
export function outsideScopes<T>(task: () => T): T {
  return scopes.exit(task);
}
