import type { Agent } from 'undici';

/** What a cache receives: a client exposing the closing methods its real kind has. */
export interface EvictableClient {
  close(): Promise<void>;
  destroy(): Promise<void>;
}

/** A streaming completion the harness started and reads in the background. */
export interface StreamInFlight {
  /** Resolves once the first chunk arrived: from then on the stream is in flight. */
  readonly firstChunk: Promise<void>;
  /** Resolves with the number of chunks read once the stream ends; rejects if it broke. */
  readonly chunks: Promise<number>;
}

/** One kind of real client the harness hands to caches. */
export interface ClientKind<C extends EvictableClient = EvictableClient> {
  readonly name: string;
  /** A fresh client with its own undici dispatcher, pointed at the loopback server. */
  create(origin: string, agentOptions?: Agent.Options): C;
  /** Every object whose `close`/`destroy` ends this client's sockets (the tripwire watches them). */
  closers(client: C): EvictableClient[];
  /** One unary chat completion; rejects with the client's own error if it cannot be sent. */
  complete(client: C): Promise<void>;
  /** Starts a streaming chat completion that the server parks after its first chunk. */
  stream(client: C, gateHeaders: Record<string, string>): StreamInFlight;
}

export const CHAT_REQUEST = {
  model: 'harness-model',
  messages: [{ role: 'user' as const, content: 'ping' }],
};

/** Reads `source` to its end in the background, counting chunks. */
export function readInBackground(source: () => AsyncIterable<unknown>): StreamInFlight {
  let markFirst!: () => void;
  const firstChunk = new Promise<void>((resolve) => (markFirst = resolve));
  const chunks = (async () => {
    let count = 0;
    for await (const _chunk of source()) {
      if (++count === 1) markFirst();
    }
    return count;
  })();
  // A stream that breaks before its first chunk must not leave firstChunk waiting forever.
  const first = Promise.race([firstChunk, chunks.then(() => undefined)]);
  chunks.catch(() => undefined);
  return { firstChunk: first, chunks };
}
