import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { harnessNow } from './harness-clock.js';
import type { CacheAdapter, EvictionPath } from './adapter.js';
import type { EvictableClient } from './kinds/client-kind.js';
import type { RunningKind } from './kinds/running-kind.js';
import { classifyError } from './report/classify-error.js';
import type { LeakProbeResult, ObservedError } from './report/results.js';
import { shutDown } from './scenarios/run-case.js';
import { bounded } from './settle/bounded.js';

export interface LeakProbeSpec {
  path: EvictionPath;
  evictions: number;
  keepAliveTimeoutMs: number;
  /** Bound on each evict call and on the shutdown. */
  capMs: number;
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
 * Evicts `evictions` clients of one kind that each ran the kind's follow-up operation, never
 * closing them, then waits for their keep-alive to elapse, collects garbage, and counts the
 * connections they still hold on the kind's backend.
 */
export async function probeLeaks<TCache>(adapter: CacheAdapter<TCache>, kind: RunningKind, spec: LeakProbeSpec): Promise<LeakProbeResult> {
  const mark = kind.connections.mark();
  const clients: EvictableClient[] = [];
  const newClient = () => {
    const client = kind.createClient({ idleTimeoutMs: spec.keepAliveTimeoutMs });
    clients.push(client);
    return client;
  };
  const evict = adapter.evict[spec.path];
  const cache = await adapter.create();
  const openConnections = () => kind.connections.openSince(mark);
  let error: ObservedError | undefined;
  try {
    for (let index = 0; index < spec.evictions; index++) {
      const key = `leak-probe-${index}`;
      const client = newClient();
      await kind.connect(client);
      await adapter.set(cache, key, client);
      await kind.followUp(client);
      const evicted = await bounded(() => evict?.(cache, key, { spareClient: newClient }), spec.capMs);
      if (evicted.status === 'threw') throw evicted.error;
      if (evicted.status === 'timed-out') throw new Error(`evict.${spec.path} did not return within the settle cap (${spec.capMs} ms)`);
    }
    await sleep(spec.keepAliveTimeoutMs);
    collectGarbage();
    const deadline = harnessNow() + CLOSE_MARGIN_MS;
    while (openConnections() > 0 && harnessNow() < deadline) await sleep(POLL_MS);
  } catch (caught) {
    error = classifyError(caught, kind.classify);
  }
  const stillOpen = openConnections();
  error ??= await shutDown(adapter, cache, spec.capMs, kind.classify);
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
