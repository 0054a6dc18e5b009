import { AsyncResource } from 'node:async_hooks';
import type { ClientOptions, EvictableClient } from '../kinds/client-kind.js';
import type { RunningKind } from '../kinds/running-kind.js';

/**
 * Makes the clients of a case (or a leak probe), each pushed on `created` for disposal when it
 * ends. Clients are the harness's work, not the cache's: each is created outside every tracked
 * scope, even when an eviction asks for a spare in the middle of its call (a WebSocket connects
 * at once, and its timers must not become the cache's).
 */
export function clientFactory(kind: RunningKind, created: EvictableClient[], options?: ClientOptions): () => EvictableClient {
  return AsyncResource.bind(() => {
    const client = kind.createClient(options);
    created.push(client);
    return client;
  });
}
