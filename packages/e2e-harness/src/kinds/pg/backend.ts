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

export async function startPgBackend(options: BackendOptions): Promise<PgBackend> {
  const engine = await acquirePGlite();
  const holds = createHolds();
  try {
    const relay = await startHoldingRelay(engine.port, holds);
    return {
      host: '127.0.0.1',
      port: relay.port,
      chunks: options.chunks,
      connections: relay.connections,
      release: holds.release,
      async stop() {
        holds.releaseAll();
        await relay.close();
        engine.release();
      },
    };
  } catch (error) {
    engine.release();
    throw error;
  }
}
