import { createHook } from 'node:async_hooks';
import { captureCallSites, describeSites } from './call-site.js';
import { observeRefresh } from './node-timers.js';
import { currentScope } from './tracking-scope.js';
import type { TrackedResource, TrackingScope } from './tracking-scope.js';
import { noteRefresh } from './virtual-time.js';

// Promises are not tasks: an undici close() promise stays pending while a request is in flight.
// The callbacks they run create resources of their own, which are tracked.
const UNTRACKED_TYPES = new Set(['PROMISE']);

const owners = new Map<number, TrackingScope>();

// Async hooks must never throw (an exception there ends the process): every callback below only
// reads fields and updates maps.
function init(asyncId: number, type: string, _triggerAsyncId: number, resource: object): void {
  const scope = currentScope();
  if (!scope || UNTRACKED_TYPES.has(type) || scope.time.disposed) return;
  const sites = captureCallSites(init);
  const tracked: TrackedResource = { type, stack: describeSites(sites) };
  scope.resources.set(asyncId, tracked);
  owners.set(asyncId, scope);
  scope.time.adopt(asyncId, type, resource, sites);
}

const hook = createHook({
  init,
  before(asyncId) {
    owners.get(asyncId)?.time.before(asyncId);
  },
  after(asyncId) {
    owners.get(asyncId)?.time.after(asyncId);
  },
  destroy(asyncId) {
    const scope = owners.get(asyncId);
    if (!scope) return;
    scope.resources.delete(asyncId);
    scope.time.forget(asyncId);
    owners.delete(asyncId);
  },
});

let users = 0;
let stopObservingRefresh: (() => void) | undefined;

function release(scope: TrackingScope): void {
  if (scope.kind === 'cache') {
    // The case ends: what it still has scheduled is cleared, and its resources are let go.
    scope.time.dispose();
    for (const [asyncId, owner] of owners) if (owner.time === scope.time) owners.delete(asyncId);
  }
  if (--users === 0) {
    hook.disable();
    stopObservingRefresh?.();
    stopObservingRefresh = undefined;
  }
}

/**
 * Tracks the async resources created in `scope`'s async context (directly or by its deferred
 * callbacks, transitively) and feeds them to the case's virtual time. An eviction's resources stay
 * tracked until its case ends; stopping a case's cache scope ends the case (`VirtualTime.dispose`).
 */
export function trackResources(scope: TrackingScope): () => void {
  if (users++ === 0) {
    hook.enable();
    stopObservingRefresh = observeRefresh(noteRefresh);
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    release(scope);
  };
}
