import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ConnectionCounter } from './client-kind.js';
import { trackConnections } from './connections.js';

/** A server listening on 127.0.0.1 on a port the system chose. */
export interface Loopback {
  readonly port: number;
  readonly connections: ConnectionCounter;
  /** Stops listening and ends every open connection (HTTP servers; a raw TCP server ends its own). */
  close(): Promise<void>;
}

export async function listenOnLoopback(server: Server): Promise<Loopback> {
  // Idle HTTP sockets must outlive the clients' keep-alive, or the server would hide a leak.
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = 60_000;
  const connections = trackConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        (server as Partial<{ closeAllConnections(): void }>).closeAllConnections?.();
      }),
  };
}
