import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkedLease } from './adapter.js';
import type { CacheAdapter } from './adapter.js';
import type { EvictionPath } from './eviction-paths.js';
import type { EvictableClient } from './kinds/client-kind.js';
import type { RunningKind } from './kinds/running-kind.js';
import { classifyError } from './report/classify-error.js';
import type { LeakProbeResult, ObservedError } from './report/results.js';
import { callCache, evictBounded, hungCall, shutDown } from './scenarios/cache-calls.js';
import type { CacheCallContext } from './scenarios/cache-calls.js';
import { clientFactory } from './scenarios/case-clients.js';
import { caseTime } from './settle/case-time.js';
import { trackResources } from './settle/resource-tracker.js';
import { openCacheScope } from './settle/tracking-scope.js';
import { markClosesHandled } from './tripwire/close-watch.js';
import { harnessNow } from './util/harness-clock.js';

export interface LeakProbeSpec {
  path: EvictionPath;
  evictions: number;
  keepAliveTimeoutMs: number;
  /** Bound on each call into the cache. */
  callTimeoutMs: number;
  /** Real-time bound on running the cache's timers once every client was evicted. */
  advanceBudgetMs: number;
  /** How long holders may keep an evicted client: virtual time follows a sweep through twice this. */
  holderGraceMs: number;
}

// Past keep-alive, sockets close within a few timer ticks; a socket still open after this is kept alive.
const CLOSE_MARGIN_MS = 2000;
const POLL_MS = 10;

let gc: (() => void) | undefined;

/** A full garbage collection, so clients only the cache's weak references or finalizers knew are gone. */
function collectGarbage(): void {
  if (!gc) {
    const exposed: unknown = Reflect.get(globalThis, 'gc');
    if (typeof exposed === 'function') {
      gc = exposed as () => void;
    } else {
      // Without --expose-gc: the flag holds for contexts created after it is set.
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
  }
  gc();
}

/**
 * Evicts `evictions` clients of one kind that each ran the kind's follow-up operation (leased
 * while in use, and released after their eviction, when the adapter has leases), runs in virtual
 * time every timer the cache armed (a grace closer closes them now, not in fifteen minutes), then
 * waits for the clients' keep-alive to elapse, collects garbage, and counts the connections they
 * still hold on the kind's backend.
 */
export async function probeLeaks<TCache>(adapter: CacheAdapter<TCache>, kind: RunningKind, spec: LeakProbeSpec): Promise<LeakProbeResult> {
  const mark = kind.connections.mark();
  const clients: EvictableClient[] = [];
  const createClient = clientFactory(kind, clients, { idleTimeoutMs: spec.keepAliveTimeoutMs });
  const newClient = () => {
    const client = createClient();
    markClosesHandled(kind.closers(client), kind.verbs);
    return client;
  };
  const evict = adapter.evict[spec.path];
  const time = caseTime(spec.holderGraceMs);
  const cacheScope = openCacheScope(time);
  const stopTracking = trackResources(cacheScope);
  const calls: CacheCallContext = { scope: cacheScope, timeoutMs: spec.callTimeoutMs };
  const openConnections = () => kind.connections.openSince(mark);
  let cache: { value: TCache } | undefined;
  let error: ObservedError | undefined;
  try {
    const instance = await callCache('create', calls, () => adapter.create());
    cache = { value: instance };
    for (let index = 0; index < spec.evictions; index++) {
      const key = `leak-probe-${index}`;
      const client = newClient();
      await kind.connect(client);
      await callCache('set', calls, () => adapter.set(instance, key, client));
      const lease = adapter.lease && checkedLease(adapter, key, await callCache('lease', calls, () => adapter.lease?.(instance, key)));
      await kind.followUp(client);
      const { outcome: evicted } = await evictBounded(cacheScope, { path: spec.path, key }, spec.callTimeoutMs, () =>
        evict?.(instance, key, { spareClient: newClient }),
      );
      if (evicted.status === 'threw') throw evicted.error;
      if (evicted.status === 'timed-out') throw new Error(hungCall(`evict.${spec.path}`, spec.callTimeoutMs));
      if (lease) await callCache("a lease's release", calls, () => lease.release());
    }
    await time.advance({ realTimeBudgetMs: spec.advanceBudgetMs });
    await sleep(spec.keepAliveTimeoutMs);
    collectGarbage();
    const deadline = harnessNow() + CLOSE_MARGIN_MS;
    while (openConnections() > 0 && harnessNow() < deadline) await sleep(POLL_MS);
  } catch (caught) {
    error = classifyError(caught, kind.classify);
  }
  const stillOpen = openConnections();
  if (cache !== undefined) error ??= await shutDown(adapter, cache.value, calls, kind.classify);
  stopTracking();
  await Promise.all(clients.map((client) => kind.dispose(client)));
  return {
    ok: stillOpen === 0 && error === undefined,
    ...(error && { error }),
    client: kind.name,
    path: spec.path,
    evictions: spec.evictions,
    keepAliveTimeoutMs: spec.keepAliveTimeoutMs,
    openConnections: stillOpen,
  };
}
