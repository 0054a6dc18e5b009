// The regressed cache, ported from LiteLLM PR #21717 (see shared seed story): its eviction hook closes
// the evicted client. Kept on purpose so the demo and tests can show the lint rule and the harness
// catching it. The root lint config leaves this file out; never copy this hook.
import { InMemoryCache, type InMemoryCacheOptions } from '@no-close-on-evict/cache-core';

type Closable = { aclose?: () => unknown; close?: () => unknown };

export class RegressedLLMClientCache extends InMemoryCache<object> {
  constructor(options: InMemoryCacheOptions = {}) {
    super({ defaultTtlMs: 3_600_000, ...options });
  }

  protected override onEvict(_key: string, client: object): void {
    // LiteLLM picked `getattr(value, "aclose") or getattr(value, "close")` ...
    const closable = client as Closable;
    const close = closable.aclose ?? closable.close;
    if (typeof close !== 'function') return;
    // ... and ran it with `loop.create_task(close_fn())`: the close lands on a later turn of the
    // event loop, after the caller that triggered the eviction has moved on.
    setImmediate(() => {
      void close.call(client);
    });
  }
}
