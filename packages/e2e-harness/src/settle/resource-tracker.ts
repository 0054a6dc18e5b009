import { createHook } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { currentEviction } from './eviction-scope.js';
import type { Eviction, TrackedResource } from './eviction-scope.js';

// Promises are not tasks: an undici close() promise stays pending while a request is in flight.
// The callbacks they run create resources of their own, which are tracked.
const UNTRACKED_TYPES = new Set(['PROMISE']);

const owners = new Map<number, Eviction>();

function creationStack(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  return frames
    .filter((frame) => !frame.includes('(node:') && !frame.includes('node:internal') && !frame.includes('resource-tracker'))
    .slice(0, 4)
    .join('\n');
}

function numberField(resource: object, field: string): number | undefined {
  const value: unknown = Reflect.get(resource, field);
  return typeof value === 'number' ? value : undefined;
}

const hook = createHook({
  init(asyncId, type, _triggerAsyncId, resource) {
    const eviction = currentEviction();
    if (!eviction || UNTRACKED_TYPES.has(type)) return;
    const isTimer = type === 'Timeout';
    const tracked: TrackedResource = {
      type,
      createdAt: performance.now(),
      delayMs: isTimer ? numberField(resource, '_idleTimeout') : undefined,
      repeats: isTimer && numberField(resource, '_repeat') !== undefined,
      ran: false,
      stack: creationStack(),
    };
    eviction.resources.set(asyncId, tracked);
    eviction.trackedCount++;
    owners.set(asyncId, eviction);
  },
  after(asyncId) {
    const tracked = owners.get(asyncId)?.resources.get(asyncId);
    if (tracked) tracked.ran = true;
  },
  destroy(asyncId) {
    owners.get(asyncId)?.resources.delete(asyncId);
    owners.delete(asyncId);
  },
});

let users = 0;

/**
 * Tracks, while at least one eviction is open, the async resources created in an eviction's
 * async context (directly or by its deferred callbacks, transitively). Returns the stop function.
 */
export function trackResources(eviction: Eviction): () => void {
  if (users++ === 0) hook.enable();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const asyncId of eviction.resources.keys()) owners.delete(asyncId);
    if (--users === 0) hook.disable();
  };
}
