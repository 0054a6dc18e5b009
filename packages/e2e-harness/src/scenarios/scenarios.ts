import type { ClientKind, EvictableClient } from '../clients/client-kind.js';
import type { ScenarioName } from '../report.js';

/** What a scenario may do with the case the harness prepared. */
export interface ScenarioContext {
  kind: ClientKind;
  /** The client set under the key, still held by the scenario after eviction. */
  holder: EvictableClient;
  /** Evicts the key by the case's path, runs `afterEvict`, then settles. */
  evictAndSettle(afterEvict?: () => Promise<void>): Promise<void>;
  /** Headers that park a streaming response after its first chunk. */
  streamGate: Record<string, string>;
  /** Lets the parked stream finish. */
  releaseStream(): void;
  expectedChunks: number;
  /** Sets a new, watched client under the key. */
  reinsert(): Promise<EvictableClient>;
  /** What the cache returns for the key now. */
  cachedValue(): Promise<unknown>;
}

/** Each scenario throws what the client failed with, or a plain Error for a wrong outcome. */
export const scenarios: Record<ScenarioName, (context: ScenarioContext) => Promise<void>> = {
  async 'stream-in-flight'(context) {
    const stream = context.kind.stream(context.holder, context.streamGate);
    await stream.firstChunk;
    await context.evictAndSettle();
    context.releaseStream();
    const chunks = await stream.chunks;
    if (chunks !== context.expectedChunks) {
      throw new Error(`the stream ended after ${chunks} of ${context.expectedChunks} chunks`);
    }
  },

  async 'holder-request-after-eviction'(context) {
    await context.evictAndSettle();
    await context.kind.complete(context.holder);
  },

  async 'reinsert-after-eviction'(context) {
    let reinserted: EvictableClient | undefined;
    await context.evictAndSettle(async () => {
      reinserted = await context.reinsert();
    });
    if ((await context.cachedValue()) !== reinserted || reinserted === undefined) {
      throw new Error('after eviction and re-insert, get() does not return the re-inserted client');
    }
    await context.kind.complete(reinserted);
  },
};
