import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { BackendOptions, KindBackend } from '../client-kind.js';
import { createHolds } from '../holds.js';
import { acquirePGlite } from './pglite-engine.js';
import { startHoldingRelay } from './wire-relay.js';

/** Postgres over the wire: PGlite served by pglite-socket, behind a relay that holds marked results. */
export interface PgBackend extends KindBackend {
  readonly host: string;
  readonly port: number;
  /** Rows of the long operation's query. */
  readonly chunks: number;
}

// pglite-socket multiplexes its connections onto PGlite one query at a time; cases open a few each.
const MAX_CONNECTIONS = 1000;

export async function startPgBackend(options: BackendOptions): Promise<PgBackend> {
  const engine = await acquirePGlite();
  const holds = createHolds();
  let wireServer: PGLiteSocketServer | undefined;
  try {
    wireServer = new PGLiteSocketServer({ db: engine.db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS });
    await wireServer.start();
    const upstreamPort = Number(wireServer.getServerConn().split(':').at(-1));
    const relay = await startHoldingRelay(upstreamPort, holds);
    const server = wireServer;
    return {
      host: '127.0.0.1',
      port: relay.port,
      chunks: options.chunks,
      connections: relay.connections,
      release: holds.release,
      async stop() {
        holds.releaseAll();
        await relay.close();
        await server.stop();
        engine.release();
      },
    };
  } catch (error) {
    await wireServer?.stop();
    engine.release();
    throw error;
  }
}
