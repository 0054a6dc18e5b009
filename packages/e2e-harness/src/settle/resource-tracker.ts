import { createHook } from 'node:async_hooks';
import { harnessNow } from '../harness-clock.js';
import { currentScope } from './tracking-scope.js';
import type { TrackedResource, TrackingScope } from './tracking-scope.js';

// Promises are not tasks: an undici close() promise stays pending while a request is in flight.
// The callbacks they run create resources of their own, which are tracked.
const UNTRACKED_TYPES = new Set(['PROMISE']);

const owners = new Map<number, TrackingScope>();

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
    const scope = currentScope();
    if (!scope || UNTRACKED_TYPES.has(type)) return;
    const isTimer = type === 'Timeout';
    const tracked: TrackedResource = {
      type,
      createdAt: harnessNow(),
      delayMs: isTimer ? numberField(resource, '_idleTimeout') : undefined,
      repeats: isTimer && numberField(resource, '_repeat') !== undefined,
      lastRunAt: undefined,
      stack: creationStack(),
    };
    scope.resources.set(asyncId, tracked);
    scope.trackedCount++;
    owners.set(asyncId, scope);
  },
  after(asyncId) {
    const tracked = owners.get(asyncId)?.resources.get(asyncId);
    if (tracked) tracked.lastRunAt = harnessNow();
  },
  destroy(asyncId) {
    owners.get(asyncId)?.resources.delete(asyncId);
    owners.delete(asyncId);
  },
});

let users = 0;

/**
 * Tracks, until the returned function is called, the async resources created in `scope`'s async
 * context (directly or by its deferred callbacks, transitively).
 */
export function trackResources(scope: TrackingScope): () => void {
  if (users++ === 0) hook.enable();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const asyncId of scope.resources.keys()) owners.delete(asyncId);
    if (--users === 0) hook.disable();
  };
}
