import { setTimeout as sleep } from 'node:timers/promises';
import { harnessNow } from './harness-clock.js';
import type { CacheAdapter, EvictionPath } from './adapter.js';
import type { ClientKind, EvictableClient } from './clients/client-kind.js';
import type { LeakProbeResult } from './report.js';
import type { LoopbackServer } from './server/loopback-server.js';

export interface LeakProbeSpec {
  kind: ClientKind;
  path: EvictionPath;
  evictions: number;
  keepAliveTimeoutMs: number;
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
  let openConnections: number;
  try {
    for (let index = 0; index < spec.evictions; index++) {
      const key = `leak-probe-${index}`;
      const client = newClient();
      await adapter.set(cache, key, client);
      await spec.kind.complete(client);
      await evict?.(cache, key, { spareClient: newClient });
    }
    await sleep(spec.keepAliveTimeoutMs);
    const deadline = harnessNow() + CLOSE_MARGIN_MS;
    do {
      openConnections = server.openConnections(mark);
      if (openConnections === 0) break;
      await sleep(POLL_MS);
    } while (harnessNow() < deadline);
  } finally {
    await adapter.shutdown?.(cache);
    await Promise.all(clients.map((client) => client.destroy().catch(() => undefined)));
  }
  return {
    ok: openConnections === 0,
    client: spec.kind.name,
    path: spec.path,
    evictions: spec.evictions,
    keepAliveTimeoutMs: spec.keepAliveTimeoutMs,
    openConnections,
  };
}
