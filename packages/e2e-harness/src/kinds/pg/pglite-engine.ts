import { Worker } from 'node:worker_threads';

/**
 * How long PGlite stays up after its last use ended, so checks run back to back (a test file's)
 * share one start.
 */
const LINGER_MS = 2000;

// pglite-socket multiplexes its connections onto PGlite one query at a time; cases open a few each.
const MAX_CONNECTIONS = 1000;

/** How long a stopping thread may take to close PGlite before it is terminated. */
const STOP_TIMEOUT_MS = 2000;

interface Engine {
  /** The wire server's port on 127.0.0.1, once serving. */
  readonly port: Promise<number>;
  readonly thread: Worker;
  /** Resolves with the thread's exit code. */
  readonly exited: Promise<number>;
  users: number;
  lingering?: NodeJS.Timeout;
}

/** One use of the process's PGlite; it stays up while any use is held. */
export interface PGliteUse {
  /** The port of its Postgres wire server on 127.0.0.1; rejects if it failed to start. */
  readonly port: Promise<number>;
  /** The worker thread it runs on: uses that overlap share one. */
  readonly thread: Worker;
  /** Resolves with the thread's exit code: before the last use's release, only if it crashed. */
  readonly exited: Promise<number>;
  release(): void;
}

type ThreadMessage = { port: number } | { failed: unknown };

let engine: Engine | undefined;

function startThread(): Engine {
  const thread = new Worker(new URL('./pglite-thread.mjs', import.meta.url), { workerData: { maxConnections: MAX_CONNECTIONS } });
  // Never what keeps the process alive: while it starts a check's bounded wait does, while it
  // serves the check's sockets do, and once unused it may be dropped with the process.
  thread.unref();
  const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
  const port = new Promise<number>((resolve, reject) => {
    thread.once('message', (message: ThreadMessage) => {
      if ('port' in message) return resolve(message.port);
      reject(message.failed instanceof Error ? message.failed : new Error(String(message.failed)));
      void thread.terminate();
    });
    thread.on('error', reject);
    void exited.then((code) => reject(new Error(`the PGlite thread exited with code ${code} before it served`)));
  });
  port.catch(() => undefined); // each use's holder sees it
  const started: Engine = { port, thread, exited, users: 0 };
  // A thread that ended, stopped or crashed, serves no later use.
  void exited.then(() => {
    if (engine === started) engine = undefined;
  });
  return started;
}

async function stop({ thread, exited }: Engine): Promise<void> {
  thread.postMessage('stop');
  const timer = setTimeout(() => void thread.terminate(), STOP_TIMEOUT_MS).unref();
  await exited;
  clearTimeout(timer);
}

/**
 * A use of the process's PGlite, served over the Postgres wire protocol from a worker thread,
 * started by the first use; release it when done. PGlite stops LINGER_MS after the last release.
 */
export function usePGlite(): PGliteUse {
  engine ??= startThread();
  const current = engine;
  current.users++;
  clearTimeout(current.lingering);
  let released = false;
  return {
    port: current.port,
    thread: current.thread,
    exited: current.exited,
    release() {
      if (released) return;
      released = true;
      if (--current.users > 0) return;
      current.lingering = setTimeout(() => {
        if (engine === current) engine = undefined;
        void stop(current);
      }, LINGER_MS).unref();
    },
  };
}
