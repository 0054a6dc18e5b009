import type { BackendOptions, KindBackend } from '../client-kind.js';
import { createHolds } from '../holds.js';
import { usePGlite } from './pglite-engine.js';
import { startHoldingRelay } from './wire-relay.js';

/** Postgres over the wire: PGlite served by pglite-socket, behind a relay that holds marked results. */
export interface PgBackend extends KindBackend {
  readonly host: string;
  readonly port: number;
  /** Rows of the long operation's query. */
  readonly chunks: number;
}

export async function startPgBackend(options: BackendOptions): Promise<PgBackend> {
  const pglite = usePGlite();
  let crashed: number | undefined;
  void pglite.exited.then((code) => (crashed = code));
  const holds = createHolds();
  try {
    const relay = await startHoldingRelay(await pglite.port, holds);
    return {
      host: '127.0.0.1',
      port: relay.port,
      chunks: options.chunks,
      connections: relay.connections,
      release: holds.release,
      async stop() {
        holds.releaseAll();
        await relay.close();
        pglite.release();
        // Its cases then failed with dropped connections: say whose fault that was.
        if (crashed !== undefined) {
          throw new Error(`PGlite's thread exited (code ${crashed}) while the check used it: the pg cases' errors are the backend's, not the cache's`);
        }
      },
    };
  } catch (error) {
    pglite.release();
    throw error;
  }
}
