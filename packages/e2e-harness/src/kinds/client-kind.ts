import type { ErrorKind } from '../report/error-kind.js';
import type { CLOSING_VERBS, ClosingVerb } from '../tripwire/closing-verbs.js';

/**
 * What a cache receives: a client of the kind under test (an undici `Agent`, an OpenAI handle, a
 * pg `Pool`, a `WebSocket`, …). Which closing methods it has depends on the kind.
 */
export type EvictableClient = { [Verb in (typeof CLOSING_VERBS)[number]]?: (...args: never[]) => unknown };

/** Counts the connections a backend's server holds open (see `trackConnections`). */
export interface ConnectionCounter {
  /** A mark to count connections accepted after it. */
  mark(): number;
  /** Connections accepted after `mark` that are still open. */
  openSince(mark: number): number;
}

/** Shape of the backends' long operations, from the `api` option. */
export interface BackendOptions {
  /** Parts of each long operation (stream chunks, rows, progress steps); the first is sent before the hold. */
  readonly chunks: number;
  /** Pause between the parts sent after the release, in ms. */
  readonly chunkIntervalMs: number;
}

/** A real server of the kind's protocol on 127.0.0.1, started once per check and shared by its cases. */
export interface KindBackend {
  /**
   * Lets the long operation that carries `holdId` finish. May come for an id the backend never
   * saw (the operation failed before it arrived): ignore it then.
   */
  release(holdId: string): void;
  /** The server's connections, for the leak probe. */
  readonly connections: ConnectionCounter;
  /** Stops the server, ending held operations and open connections. */
  stop(): Promise<void>;
}

/** Options the harness passes when it creates a client. */
export interface ClientOptions {
  /**
   * How long an idle connection may stay open before the client drops it (keep-alive, pool idle
   * timeout). The leak probe passes a short one; cases pass none (the client's default).
   */
  idleTimeoutMs?: number;
}

/** A long operation the harness started; the kind follows it in the background. */
export interface OperationInFlight {
  /**
   * Resolves once the backend has begun it and holds the rest (a first chunk, row or progress step
   * arrived). The harness stops waiting for it when `finished` settles first.
   */
  readonly started: Promise<void>;
  /**
   * Resolves when the operation completed in full after the release; rejects with the client's own
   * error, or with an Error saying what was missing (`the stream ended after 1 of 4 chunks`).
   */
  readonly finished: Promise<void>;
}

/**
 * One kind of real client the harness hands to caches: its backend, how to build and use a
 * client, and how it closes. Define one with `defineClientKind`; pass it in `clients`.
 */
export interface ClientKind<TClient extends object = object, TBackend extends KindBackend = KindBackend> {
  /** Names the kind in reports and test titles; unique within a check. */
  readonly name: string;
  /** Starts the backend on 127.0.0.1 (port 0). Called once per check; every case shares it. */
  startBackend(options: BackendOptions): Promise<TBackend>;
  /**
   * A new client of `backend`, built as the app builds it, not used yet. Synchronous: an eviction
   * asks for spare clients (fillers, overwriting values) in the middle of its own call.
   */
  createClient(backend: TBackend, options: ClientOptions): TClient;
  /** Readies a client the harness will use (an MCP handshake, a WebSocket's open). Not called for spare clients. */
  connect?(client: TClient, backend: TBackend): Promise<void>;
  /** The objects whose closing methods the tripwire watches: the client, and what closes it underneath (a dispatcher, a transport). */
  closers(client: TClient): readonly object[];
  /** Closing methods of this kind beyond the harness's list (`CLOSING_VERBS`), e.g. `'terminateSession'`. */
  readonly closingVerbs?: readonly ClosingVerb[];
  /** One short operation: the holder's next request, the re-inserted client's first. Rejects with the client's own error. */
  followUp(client: TClient, backend: TBackend): Promise<unknown>;
  /**
   * Starts one long operation carrying `holdId`, which the backend begins, then holds after its
   * first part until `backend.release(holdId)`.
   */
  longOperation(client: TClient, backend: TBackend, holdId: string): OperationInFlight;
  /** Frees a client after its case, whatever the cache did to it (the tripwire is off by then). */
  dispose(client: TClient): unknown;
  /** What one error of this client says (one link of a `cause` chain), or undefined when it does not know it. */
  classifyError?(error: unknown): ErrorKind | undefined;
}
