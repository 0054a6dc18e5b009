import type { ErrorKind } from '../report/error-kind.js';
import type { ErrorClassifier } from '../report/classify-error.js';
import { bounded } from '../util/bounded.js';
import { watchedVerbs } from '../tripwire/closing-verbs.js';
import type { ClosingVerb } from '../tripwire/closing-verbs.js';
import type { BackendOptions, ClientKind, ClientOptions, ConnectionCounter, EvictableClient, KindBackend } from './client-kind.js';

/**
 * How long the harness waits for one call of a kind (a connect, an operation, a backend start),
 * so a kind or a client that hangs fails its case, saying which call, instead of the check.
 */
export const KIND_CALL_TIMEOUT_MS = 5000;

/** How long a backend may take to start: PGlite's first start runs initdb, seconds on a busy machine. */
export const BACKEND_START_TIMEOUT_MS = 60_000;

/** A long operation the backend holds until its release. */
export interface HeldOperation {
  /** Resolves once it is in flight; rejects if it failed first or did not start in time. */
  readonly started: Promise<void>;
  /** Waits, from now (after the release), for it to complete in full. */
  finish(): Promise<void>;
}

/** A kind with its backend running: what cases and the leak probe use, every call bounded. */
export interface RunningKind {
  readonly name: string;
  readonly connections: ConnectionCounter;
  /** The kind's closing verbs: the harness's list and its own. */
  readonly verbs: readonly ClosingVerb[];
  /** A new client, as the cache receives it. */
  createClient(options?: ClientOptions): EvictableClient;
  /** Readies a client created by `createClient` (a no-op for kinds without `connect`). */
  connect(client: object): Promise<void>;
  closers(client: object): readonly object[];
  followUp(client: object): Promise<void>;
  longOperation(client: object, holdId: string): HeldOperation;
  release(holdId: string): void;
  /** Frees a client; never rejects. */
  dispose(client: object): Promise<void>;
  readonly classify: ErrorClassifier;
  stop(): Promise<void>;
}

/** Waits for `call` at most `ms`; rejects with the call's error, or says which call hung. */
async function within<T>(what: string, ms: number, call: () => T | Promise<T>): Promise<T> {
  const outcome = await bounded(call, ms);
  if (outcome.status === 'returned') return outcome.value;
  if (outcome.status === 'threw') throw outcome.error;
  throw new Error(`${what} did not settle within ${ms} ms`);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'then') === 'function';
}

/** Starts `kind`'s backend, waiting at most `startTimeoutMs`, and binds the kind to it. */
export async function startKind(kind: ClientKind, options: BackendOptions, startTimeoutMs = BACKEND_START_TIMEOUT_MS): Promise<RunningKind> {
  const label = `client kind '${kind.name}'`;
  // For a backend nobody will use: stopped, or it would keep the process alive.
  const stopUnused = (unused: KindBackend) => within(`${label}: the backend's stop`, KIND_CALL_TIMEOUT_MS, () => unused.stop()).catch(() => undefined);
  const starting = Promise.resolve().then(() => kind.startBackend(options));
  let abandoned = false;
  // A backend that comes up after its start's bound.
  starting.then(
    (late) => void (abandoned && typeof late?.stop === 'function' && stopUnused(late)),
    () => undefined,
  );
  const backend: KindBackend = await within(`${label}: startBackend`, startTimeoutMs, () => starting).catch((error: unknown) => {
    abandoned = true;
    throw new Error(`${label}: startBackend failed`, { cause: error });
  });
  if (typeof backend !== 'object' || backend === null || typeof backend.release !== 'function' || typeof backend.stop !== 'function') {
    throw new TypeError(`${label}: startBackend must resolve to a backend { release, connections, stop }`);
  }
  const { connections } = backend;
  if (typeof connections?.mark !== 'function' || typeof connections.openSince !== 'function') {
    await stopUnused(backend);
    throw new TypeError(`${label}: the backend's connections must be { mark, openSince } (see trackConnections)`);
  }
  // Parts are paced after the release: a long operation may take that long on top of the bound.
  const finishMs = KIND_CALL_TIMEOUT_MS + options.chunks * options.chunkIntervalMs;

  const createClient = (clientOptions: ClientOptions = {}) => {
    let client: unknown;
    try {
      client = kind.createClient(backend, clientOptions);
    } catch (error) {
      throw new Error(`${label}: createClient threw`, { cause: error });
    }
    if (typeof client !== 'object' || client === null) throw new TypeError(`${label}: createClient must return an object, got ${String(client)}`);
    return client as EvictableClient;
  };
  const connect = async (client: object) => {
    if (kind.connect) await within(`${label}: connect`, KIND_CALL_TIMEOUT_MS, () => kind.connect?.(client, backend));
  };

  return {
    name: kind.name,
    connections,
    verbs: watchedVerbs(kind.closingVerbs),
    createClient,
    connect,
    closers(client) {
      const closers: unknown = kind.closers(client);
      if (!Array.isArray(closers) || closers.some((closer) => typeof closer !== 'object' || closer === null)) {
        throw new TypeError(`${label}: closers must return an array of objects`);
      }
      return closers as object[];
    },
    async followUp(client) {
      await within(`${label}: the follow-up operation`, KIND_CALL_TIMEOUT_MS, () => kind.followUp(client, backend));
    },
    longOperation(client, holdId) {
      const operation = kind.longOperation(client, backend, holdId);
      if (!isThenable(operation?.started) || !isThenable(operation.finished)) {
        throw new TypeError(`${label}: longOperation must return { started, finished }, two promises`);
      }
      // Nobody may await it if the case fails earlier: its rejection must not go unhandled.
      Promise.resolve(operation.finished).catch(() => undefined);
      // An operation that fails before it starts must not leave the scenario waiting for `started`.
      const started = within(`${label}: the long operation's start`, KIND_CALL_TIMEOUT_MS, () =>
        Promise.race([operation.started, operation.finished]),
      );
      return {
        started: started.then(() => undefined),
        finish: async () => {
          await within(`${label}: the long operation, once released,`, finishMs, () => operation.finished);
        },
      };
    },
    release: (holdId) => backend.release(holdId),
    async dispose(client) {
      await within(`${label}: dispose`, KIND_CALL_TIMEOUT_MS, () => kind.dispose(client)).catch(() => undefined);
    },
    classify(error): ErrorKind | undefined {
      try {
        return kind.classifyError?.(error);
      } catch {
        // A classifier that fails on an unexpected error knows nothing about it.
        return undefined;
      }
    },
    stop: () =>
      within(`${label}: the backend's stop`, KIND_CALL_TIMEOUT_MS, () => backend.stop()).catch((error: unknown) => {
        throw new Error(`${label}: stopping the backend failed`, { cause: error });
      }),
  };
}
