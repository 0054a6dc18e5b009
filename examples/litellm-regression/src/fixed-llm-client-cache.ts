// The fix (LiteLLM PR #22926), the way this repo ships it: eviction only forgets the client.
// Clients the cache created are closed once, at shutdown, by ClientCache#closeAll.
import { ClientCache, type ClientCacheOptions } from '@no-close-on-evict/cache-core';

export class FixedLLMClientCache extends ClientCache<object> {
  constructor(options: ClientCacheOptions<object> = {}) {
    super({ defaultTtlMs: 3_600_000, ...options });
  }
}
