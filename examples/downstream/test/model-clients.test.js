// The harness checks this app's real cache options, dispose included, on every lru-cache path.
import { lruCacheAdapter } from '@no-close-on-evict/e2e-harness';
import { describeEvictionSafety } from '@no-close-on-evict/e2e-harness/vitest';
import { LRUCache } from 'lru-cache';
import { Agent } from 'undici';
import { expect, it } from 'vitest';
import { ModelClients, modelClientCacheOptions } from '../src/model-clients.js';

describeEvictionSafety(
  'model client cache (lru-cache)',
  // A smaller max keeps the size path quick; everything else is the app's own configuration.
  lruCacheAdapter({ LRUCache, options: modelClientCacheOptions({ max: 4 }) }),
);

it('closes cached and evicted clients once, at shutdown', async () => {
  const clients = new ModelClients({ max: 2 });
  const first = clients.get('openai', () => new Agent());
  clients.get('anthropic', () => new Agent());
  clients.get('mistral', () => new Agent()); // evicts the first client by size
  const second = clients.get('openai', () => new Agent());
  expect(second).not.toBe(first);
  expect(first.closed).toBe(false);

  await clients.close();
  expect(first.closed).toBe(true);
  expect(second.closed).toBe(true);
});
