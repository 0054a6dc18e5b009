import { Worker } from 'node:worker_threads';

/**
 * How long PGlite stays up after the last check using it ended, so checks run back to back (a
 * test file's) share one start. Its thread does not keep the process alive meanwhile.
 */
const LINGER_MS = 2000;

// pglite-socket multiplexes its connections onto PGlite one query at a time; cases open a few each.
const MAX_CONNECTIONS = 1000;

/** How long a stopping thread may take to close PGlite before it is terminated. */
const STOP_TIMEOUT_MS = 2000;

interface Engine {
  /** The wire server's port on 127.0.0.1. */
  readonly port: Promise<number>;
  readonly thread: Worker;
  readonly exited: Promise<void>;
  users: number;
  closing?: NodeJS.Timeout;
}

type ThreadMessage = { port: number } | { failed: unknown };

function startThread(): Engine {
  const thread = new Worker(new URL('./pglite-thread.mjs', import.meta.url), { workerData: { maxConnections: MAX_CONNECTIONS } });
  const port = new Promise<number>((resolve, reject) => {
    thread.once('message', (message: ThreadMessage) => {
      if ('port' in message) resolve(message.port);
      else reject(message.failed instanceof Error ? message.failed : new Error(String(message.failed)));
    });
    // Also after it served: a thread that crashes fails the cases using it, not the process.
    thread.on('error', reject);
    thread.once('exit', (code) => reject(new Error(`the PGlite thread exited with code ${code} before it served`)));
  });
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  return { port, thread, exited, users: 0 };
}

async function stopThread({ thread, exited }: Engine): Promise<void> {
  thread.postMessage('stop');
  const timer = setTimeout(() => void thread.terminate(), STOP_TIMEOUT_MS).unref();
  await exited;
  clearTimeout(timer);
}

let engine: Engine | undefined;

/** Stops `current` LINGER_MS from now unless a check acquires it first; meanwhile the process may exit. */
function linger(current: Engine): void {
  current.thread.unref();
  current.closing = setTimeout(() => {
    if (engine === current) engine = undefined;
    void stopThread(current);
  }, LINGER_MS).unref();
}

/**
 * Starts the process's PGlite thread if none runs, before any check asks for it: its start takes
 * seconds, which then overlap the imports of the other kinds.
 */
export function warmUpPGlite(): void {
  if (engine) return;
  engine = startThread();
  engine.port.catch(() => undefined); // the check's acquirePGlite reports it
  linger(engine);
}

/**
 * The process's PGlite, served over the Postgres wire protocol from a worker thread, started on
 * first use; call `release` when the check using it ends.
 */
export async function acquirePGlite(): Promise<{ port: number; release(): void }> {
  engine ??= startThread();
  const current = engine;
  current.users++;
  clearTimeout(current.closing);
  current.thread.ref();
  let port: number;
  try {
    port = await current.port;
  } catch (error) {
    if (engine === current) engine = undefined;
    void current.thread.terminate();
    throw error;
  }
  let released = false;
  return {
    port,
    release() {
      if (released) return;
      released = true;
      if (--current.users === 0) linger(current);
    },
  };
}
