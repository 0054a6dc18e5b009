// @ts-check
/**
 * PGlite and its Postgres wire server, in a worker thread of their own: starting PGlite costs
 * about 1.5 s of CPU (WebAssembly) and every query runs in it, so on the main thread it held up
 * every other kind's cases; here it runs on another core while they go on.
 *
 * Plain JavaScript so that Node runs it as a worker both from the built package and from the
 * sources under a test runner. Protocol: posts `{ port }` once serving, or `{ failed }`; on the
 * message 'stop' it stops serving, closes PGlite and exits.
 */
import { openAsBlob } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

function pgliteVersion() {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  /** @type {{ version: string }} */
  const manifest = createRequire(entry)(join(dirname(entry), '..', 'package.json'));
  return manifest.version;
}

/**
 * The saved data directory as a Blob backed by the file, or undefined if there is none. PGlite
 * reads it whole with `arrayBuffer()`, which Node's Blob answers by streaming the 40 MB in chunks
 * and joining them (about 0.5 s of a 2 s start): this one reads the file in one go instead.
 * @param {string} path
 * @returns {Promise<Blob | undefined>}
 */
async function savedDataDir(path) {
  let blob;
  try {
    blob = await openAsBlob(path);
  } catch {
    return undefined;
  }
  blob.arrayBuffer = async () => {
    const { buffer, byteOffset, byteLength } = await readFile(path);
    return byteOffset === 0 && byteLength === buffer.byteLength ? buffer : buffer.slice(byteOffset, byteOffset + byteLength);
  };
  return blob;
}

/**
 * initdb inside PGlite takes seconds (10 s and more on a busy 2-core machine); loading an
 * initialised data directory takes about a second. The first start on a machine saves one to
 * the temp directory, per PGlite version, uncompressed (40 MB): inflating the gzip copy cost
 * every start about 0.6 s more.
 * @returns {Promise<PGlite>}
 */
async function startPGlite() {
  const saved = join(tmpdir(), 'no-close-on-evict', `pglite-${pgliteVersion()}-datadir.tar`);
  const dataDir = await savedDataDir(saved);
  if (dataDir !== undefined) {
    try {
      return await PGlite.create({ loadDataDir: dataDir });
    } catch {
      // A truncated or foreign copy: start from initdb and save a fresh one.
    }
  }
  const db = await PGlite.create();
  await saveDataDir(db, saved).catch(() => undefined); // only a head start for later runs
  return db;
}

/**
 * @param {PGlite} db
 * @param {string} saved
 */
async function saveDataDir(db, saved) {
  const dump = await db.dumpDataDir('none');
  await mkdir(dirname(saved), { recursive: true });
  const partial = `${saved}.${process.pid}-${threadId}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, saved);
}

const port = parentPort;
if (!port) throw new Error('pglite-thread.mjs runs as a worker thread');
/** @type {{ maxConnections: number }} */
const { maxConnections } = workerData;

try {
  const db = await startPGlite();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  port.once('message', async () => {
    try {
      await server.stop();
      await db.close();
    } finally {
      process.exit(0); // ends this thread only, whatever PGlite left armed or failed to close
    }
  });
  port.postMessage({ port: Number(server.getServerConn().split(':').at(-1)) });
} catch (error) {
  port.postMessage({ failed: error });
}
