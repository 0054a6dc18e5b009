import type pg from 'pg';
import { defineClientKind } from '../define-client-kind.js';
import { startPgBackend } from './backend.js';
import { classifyPgError, createPool, selectHeldRows, selectOne } from './client.js';

/**
 * A `pg` Pool against PGlite served over the Postgres wire protocol by `@electric-sql/pglite-socket`
 * (embedded: no Postgres to install). `end()` is graceful: a query in flight completes, the next fails.
 */
export const pgKind = defineClientKind({
  name: 'pg',
  startBackend: startPgBackend,
  createClient: createPool,
  closers: (pool: pg.Pool) => [pool],
  followUp: selectOne,
  longOperation: selectHeldRows,
  dispose: (pool: pg.Pool) => pool.end(),
  classifyError: classifyPgError,
});
