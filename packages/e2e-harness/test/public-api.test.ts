import { describe, expect, it } from 'vitest';

// Every runtime export is documented in the README; anything else stays internal.
describe('public API', () => {
  it('the main entry exports the documented functions and constants only', async () => {
    expect(Object.keys(await import('../src/index.js')).sort()).toEqual([
      'AdapterError',
      'BUILT_IN_KINDS',
      'CLOSING_VERBS',
      'EVICTION_PATHS',
      'checkEvictionSafety',
      'clientCacheAdapter',
      'defineClientKind',
      'formatCaseResult',
      'formatLeakProbe',
      'formatReport',
      'inMemoryCacheAdapter',
      'lruCacheAdapter',
      'lruMinAdapter',
      'nodeCacheAdapter',
      'quickLruAdapter',
      'trackConnections',
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
