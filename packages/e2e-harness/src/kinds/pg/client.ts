import pg from 'pg';
import { isError } from '../../report/classify-error.js';
import type { ErrorKind } from '../../report/error-kind.js';
import type { ClientOptions, OperationInFlight } from '../client-kind.js';
import { countParts } from '../operation-in-flight.js';
import type { PgBackend } from './backend.js';
import { HOLD_MARKER } from './wire-relay.js';

export function createPool(backend: PgBackend, { idleTimeoutMs }: ClientOptions): pg.Pool {
  const pool = new pg.Pool({
    host: backend.host,
    port: backend.port,
    user: 'postgres',
    database: 'postgres',
    max: 2,
    connectionTimeoutMillis: 4000,
    ...(idleTimeoutMs !== undefined && { idleTimeoutMillis: idleTimeoutMs }),
  });
  // As pg's docs ask: an idle connection the server drops must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

export async function selectOne(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT 1 AS ok');
}

/** A query whose rows arrive one by one; the backend holds the rest after the first. */
export function selectHeldRows(pool: pg.Pool, backend: PgBackend, holdId: string): OperationInFlight {
  const counter = countParts(backend.chunks, 'the query', 'rows');
  const marker = `${HOLD_MARKER}${holdId}`.replaceAll("'", "''");
  const finished = (async () => {
    const connection = await pool.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        const query = new pg.Query(`SELECT '${marker}' AS hold, n FROM generate_series(1, ${backend.chunks}) AS n`);
        query.on('row', () => counter.part());
        query.on('end', () => resolve());
        query.on('error', reject);
        connection.query(query);
      });
    } finally {
      connection.release();
    }
    counter.end();
  })();
  return { started: counter.started, finished };
}

export function classifyPgError(error: unknown): ErrorKind | undefined {
  if (!isError(error)) return undefined;
  if (error.message === 'Cannot use a pool after calling end on the pool' || error.message === 'Client was closed and is not queryable') {
    return 'client-closed';
  }
  if (error.message.startsWith('Connection terminated') || error.message.endsWith('connection error and is not queryable')) return 'stream-terminated';
  return undefined;
}
