import { setTimeout as sleep } from 'node:timers/promises';
import { harnessNow } from './harness-clock.js';
import type { CacheAdapter, EvictionPath } from './adapter.js';
import type { ClientKind, EvictableClient } from './clients/client-kind.js';
import type { LeakProbeResult } from './report.js';
import { classifyError } from './scenarios/classify-error.js';
import type { ObservedError } from './scenarios/classify-error.js';
import { shutDown } from './scenarios/run-case.js';
import { bounded } from './settle/bounded.js';
import type { LoopbackServer } from './server/loopback-server.js';

export interface LeakProbeSpec {
  kind: ClientKind;
  path: EvictionPath;
  evictions: number;
  keepAliveTimeoutMs: number;
  /** Bound on each evict call and on the shutdown. */
  capMs: number;
}

// Past keep-alive, sockets close within a few timer ticks; a socket still open after this is kept alive.
const CLOSE_MARGIN_MS = 2000;
const POLL_MS = 10;

/**
 * Evicts `evictions` clients that each sent one request, never closing them, then waits for
 * their keep-alive to elapse and counts the sockets they still hold on the server.
 */
export async function probeLeaks<TCache>(
  adapter: CacheAdapter<TCache>,
  spec: LeakProbeSpec,
  server: LoopbackServer,
): Promise<LeakProbeResult> {
  const mark = server.connectionMark();
  const agentOptions = { keepAliveTimeout: spec.keepAliveTimeoutMs, keepAliveMaxTimeout: spec.keepAliveTimeoutMs };
  const clients: EvictableClient[] = [];
  const newClient = () => {
    const client = spec.kind.create(server.origin, agentOptions);
    clients.push(client);
    return client;
  };
  const evict = adapter.evict[spec.path];
  const cache = await adapter.create();
  let error: ObservedError | undefined;
  try {
    for (let index = 0; index < spec.evictions; index++) {
      const key = `leak-probe-${index}`;
      const client = newClient();
      await adapter.set(cache, key, client);
      await spec.kind.complete(client);
      const evicted = await bounded(() => evict?.(cache, key, { spareClient: newClient }), spec.capMs);
      if (evicted.status === 'threw') throw evicted.error;
      if (evicted.status === 'timed-out') throw new Error(`evict.${spec.path} did not return within the settle cap (${spec.capMs} ms)`);
    }
    await sleep(spec.keepAliveTimeoutMs);
    const deadline = harnessNow() + CLOSE_MARGIN_MS;
    while (server.openConnections(mark) > 0 && harnessNow() < deadline) await sleep(POLL_MS);
  } catch (caught) {
    error = classifyError(caught);
  }
  const openConnections = server.openConnections(mark);
  error ??= await shutDown(adapter, cache, spec.capMs);
  await Promise.all(clients.map((client) => client.destroy().catch(() => undefined)));
  return {
    ok: openConnections === 0 && error === undefined,
    ...(error && { error }),
    client: spec.kind.name,
    path: spec.path,
    evictions: spec.evictions,
    keepAliveTimeoutMs: spec.keepAliveTimeoutMs,
    openConnections,
  };
}
