// The checks every test runner's suite runs: the app's cache options, and the regression they
// guard against, on the built-in kinds the app uses and on its own PriceClient.
import { checkEvictionSafety, lruCacheAdapter } from '@no-close-on-evict/e2e-harness';
import { LRUCache } from 'lru-cache';
import { modelClientCacheOptions } from '../../src/model-clients.js';
import { priceKind } from './price-kind.js';

export const appClients = ['undici-agent', 'openai', priceKind];

/** The app's real lru-cache options (a smaller max keeps the size path quick). */
export const appCache = () => lruCacheAdapter({ LRUCache, options: modelClientCacheOptions({ max: 4 }) });

/** The seed regression on the same library: dispose closes the evicted client. */
export const regressedCache = () =>
  lruCacheAdapter({
    LRUCache,
    options: { max: 4, dispose: (client) => void client.close?.() },
  });

export const checkAppCache = () => checkEvictionSafety({ cache: appCache(), clients: appClients });

export const checkRegressedCache = () =>
  checkEvictionSafety({ cache: regressedCache(), clients: [priceKind], paths: ['delete', 'ttl'] });

/** Per failed case of the regressed cache: how it failed and who closed the client. */
export function regressionVerdicts(report) {
  return report.results.map((result) => ({
    case: `${result.path} › ${result.scenario}`,
    ok: result.ok,
    error: result.error?.kind,
    closedBy: result.closes.map((close) => `${close.verb}() after ${close.eviction?.path}, ${close.stack.includes('checks.js') ? 'in dispose' : 'elsewhere'}`),
  }));
}

/** What `regressionVerdicts` must say: every case fails, each close traced to dispose. */
export const expectedRegressionVerdicts = ['delete', 'ttl'].flatMap((path) => [
  { case: `${path} › stream-in-flight`, ok: false, error: 'stream-terminated', closedBy: [`close() after ${path}, in dispose`] },
  { case: `${path} › holder-request-after-eviction`, ok: false, error: 'client-closed', closedBy: [`close() after ${path}, in dispose`] },
  { case: `${path} › reinsert-after-eviction`, ok: false, error: undefined, closedBy: [`close() after ${path}, in dispose`] },
]);
