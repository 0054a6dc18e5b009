import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * How long PGlite stays up after the last check using it ended, so checks run back to back (a
 * test file's) share one start. Its own timers keep the process alive until it closes.
 */
const LINGER_MS = 2000;

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = createRequire(entry)(join(dirname(entry), '..', 'package.json')) as { version: string };
  return manifest.version;
}

/**
 * initdb inside PGlite takes seconds (10 s and more on a busy 2-core machine); loading an
 * initialised data directory takes about a second. The first start on a machine saves one to
 * the temp directory, per PGlite version, uncompressed (40 MB): inflating the gzip copy cost
 * every start about 0.6 s more.
 */
async function startPGlite(): Promise<PGlite> {
  const saved = join(tmpdir(), 'no-close-on-evict', `pglite-${pgliteVersion()}-datadir.tar`);
  const dataDir = await readFile(saved).catch(() => undefined);
  if (dataDir !== undefined) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([dataDir]) });
    } catch {
      // A truncated or foreign copy: start from initdb and save a fresh one.
    }
  }
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('none');
  await mkdir(dirname(saved), { recursive: true });
  const partial = `${saved}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, saved);
  return db;
}

let engine: { db: Promise<PGlite>; users: number; closing?: NodeJS.Timeout } | undefined;

/** The process's PGlite, started on first use; call `release` when the check using it ends. */
export async function acquirePGlite(): Promise<{ db: PGlite; release(): void }> {
  engine ??= { db: startPGlite(), users: 0 };
  const current = engine;
  current.users++;
  clearTimeout(current.closing);
  let db: PGlite;
  try {
    db = await current.db;
  } catch (error) {
    if (engine === current) engine = undefined;
    throw error;
  }
  let released = false;
  return {
    db,
    release() {
      if (released) return;
      released = true;
      if (--current.users > 0) return;
      current.closing = setTimeout(() => {
        if (engine === current) engine = undefined;
        void db.close().catch(() => undefined);
      }, LINGER_MS);
    },
  };
}
