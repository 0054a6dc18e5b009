import { describe, expect, it } from 'vitest';

// Every runtime export is documented in the README; anything else stays internal.
describe('public API', () => {
  it('the main entry exports the documented functions and constants only', async () => {
    expect(Object.keys(await import('../src/index.js')).sort()).toEqual([
      'AdapterError',
      'EVICTION_PATHS',
      'checkEvictionSafety',
      'clientCacheAdapter',
      'formatCaseResult',
      'formatLeakProbe',
      'formatReport',
      'inMemoryCacheAdapter',
      'lruCacheAdapter',
      'lruMinAdapter',
      'nodeCacheAdapter',
      'quickLruAdapter',
      'ttlCacheAdapter',
    ]);
  });

  it('the vitest subpath exports the sugar and its error', async () => {
    expect(Object.keys(await import('../src/vitest.js')).sort()).toEqual([
      'EvictionSafetyError',
      'caseTimeoutMs',
      'describeEvictionSafety',
    ]);
  });
});
