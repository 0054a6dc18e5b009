import { AsyncResource } from 'node:async_hooks';
import { harnessNow } from '../harness-clock.js';
import { AdapterError } from '../adapter.js';
import type { CacheAdapter, EvictionPath, EvictionTools } from '../adapter.js';
import type { EvictableClient } from '../kinds/client-kind.js';
import type { RunningKind } from '../kinds/running-kind.js';
import { classifyError } from '../report/classify-error.js';
import type { ErrorClassifier } from '../report/classify-error.js';
import type { CaseResult, ObservedError, ScenarioName } from '../report/results.js';
import { beginEviction, openCacheScope, runInScope } from '../settle/tracking-scope.js';
import { trackResources } from '../settle/resource-tracker.js';
import { bounded } from '../settle/bounded.js';
import { notReached, settle } from '../settle/settle.js';
import type { SettleMode } from '../settle/settle.js';
import { CloseWatch } from '../tripwire/close-watch.js';
import { scenarios } from './scenarios.js';

/** The key every case stores its client under. */
const CASE_KEY = 'client-under-test';

export interface CaseSpec {
  path: EvictionPath;
  /** The name of the client kind. */
  client: string;
  scenario: ScenarioName;
}

export interface CaseEnvironment {
  /** The case's client kind, its backend running. */
  kind: RunningKind;
  settle: SettleMode;
  settleCapMs: number;
}

const PATH_HINTS: Record<EvictionPath, string> = {
  size: 'is the cache bounded (max / maxSize) and does evict.size add fillers until the key is gone?',
  ttl: 'does the entry have a TTL, and does evict.ttl move the cache clock past it and then touch the key?',
  delete: 'does evict.delete delete the key?',
  overwrite: 'does evict.overwrite set another client (tools.spareClient()) under the key?',
  clear: 'does evict.clear clear the cache?',
};

let holdSequence = 0;

/**
 * Calls the adapter's shutdown, bounded by `capMs`. A shutdown that throws or hangs is the
 * cache's failure, reported on the case; it must not cost the whole report.
 */
export async function shutDown<TCache>(
  adapter: CacheAdapter<TCache>,
  cache: TCache,
  capMs: number,
  classify: ErrorClassifier,
): Promise<ObservedError | undefined> {
  if (adapter.shutdown === undefined) return undefined;
  const ended = await bounded(() => adapter.shutdown?.(cache), capMs);
  if (ended.status === 'threw') return classifyError(ended.error, classify);
  if (ended.status === 'timed-out') {
    return classifyError(new Error(`shutdown did not return within the settle cap (${capMs} ms)`));
  }
  return undefined;
}

/**
 * Runs one path × client × scenario on a fresh cache and fresh clients. A misbehaving cache
 * yields a failed result; a misconfigured adapter throws an AdapterError.
 */
export async function runCase<TCache>(
  adapter: CacheAdapter<TCache>,
  spec: CaseSpec,
  environment: CaseEnvironment,
): Promise<CaseResult> {
  const started = harnessNow();
  const label = `adapter '${adapter.name}'`;
  const { kind } = environment;
  const watch = new CloseWatch();
  const clients: EvictableClient[] = [];
  // Clients are the harness's, not the cache's work: created outside any tracked scope, even
  // when an eviction asks for a spare in the middle of its call (a WebSocket connects at once).
  const newClient = AsyncResource.bind(() => {
    const client = kind.createClient();
    clients.push(client);
    return client;
  });
  const watchedClient = async (watchedAs: string) => {
    const client = newClient();
    await kind.connect(client);
    watch.watch(watchedAs, kind.closers(client), kind.verbs);
    return client;
  };
  const tools: EvictionTools = { spareClient: () => newClient() };
  const holdId = `hold-${++holdSequence}`;
  let settled = notReached(environment.settle);
  let error: ObservedError | undefined;
  let shutdownError: ObservedError | undefined;
  let cache: { value: TCache } | undefined;
  // The cache's own calls run in a tracked scope: a reaper timer armed there is awaited once.
  const cacheScope = openCacheScope();
  const stopTrackingCache = trackResources(cacheScope);
  const inCacheScope = <T>(call: () => T) => runInScope(cacheScope, call);

  try {
    const holder = await watchedClient('held client');
    cache = { value: await inCacheScope(() => adapter.create()) };
    const instance = cache.value;
    await inCacheScope(() => adapter.set(instance, CASE_KEY, holder));
    if ((await inCacheScope(() => adapter.get(instance, CASE_KEY))) !== holder) {
      throw new AdapterError(
        `${label}: get(cache, '${CASE_KEY}') right after set does not return the client that was set; ` +
          'get must return the very object set (a cache that clones values, like node-cache by default, needs useClones: false)',
      );
    }
    const evictEntry = adapter.evict[spec.path];
    if (evictEntry === undefined) throw new AdapterError(`${label}: evict.${spec.path} is not defined`);

    await scenarios[spec.scenario]({
      kind,
      holder,
      startLongOperation: () => kind.longOperation(holder, holdId),
      release: () => kind.release(holdId),
      reinsert: async () => {
        const reinserted = await watchedClient('re-inserted client');
        await inCacheScope(() => adapter.set(instance, CASE_KEY, reinserted));
        return reinserted;
      },
      cachedValue: async () => inCacheScope(() => adapter.get(instance, CASE_KEY)),
      async evictAndSettle(afterEvict) {
        const eviction = beginEviction(spec.path, CASE_KEY, cacheScope);
        const stopTracking = trackResources(eviction);
        try {
          const evicted = await bounded(
            () => runInScope(eviction, async () => {
              await evictEntry(instance, CASE_KEY, tools);
              return adapter.get(instance, CASE_KEY);
            }),
            environment.settleCapMs,
            watch.firstClose,
          );
          if (evicted.status === 'threw') throw evicted.error;
          if (evicted.status === 'returned' && evicted.value === holder) {
            throw new AdapterError(
              `${label}: evict.${spec.path} returned but get(cache, '${CASE_KEY}') still returns the client; ${PATH_HINTS[spec.path]}`,
            );
          }
          const evictStalled = evicted.status === 'timed-out';
          if (!evictStalled) await afterEvict?.();
          settled = await settle(eviction, cacheScope, {
            mode: environment.settle,
            capMs: environment.settleCapMs,
            stopWhen: () => watch.tripped,
            evictStalled,
          });
          if (evictStalled && !watch.tripped) {
            throw new Error(
              `evict.${spec.path} did not return within the settle cap (${environment.settleCapMs} ms); ` +
                'an eviction that waits for its client (e.g. awaits close()) blocks while the client is in use',
            );
          }
        } finally {
          stopTracking();
        }
      },
    });
  } catch (caught) {
    if (caught instanceof AdapterError) throw caught;
    error = classifyError(caught, kind.classify);
  } finally {
    watch.disarm();
    stopTrackingCache();
    kind.release(holdId);
    if (cache !== undefined) shutdownError = await shutDown(adapter, cache.value, environment.settleCapMs, kind.classify);
    await Promise.all(clients.map((client) => kind.dispose(client)));
  }

  return {
    path: spec.path,
    client: kind.name,
    scenario: spec.scenario,
    ok: error === undefined && watch.closes.length === 0 && shutdownError === undefined,
    ...(error && { error }),
    ...(shutdownError && { shutdownError }),
    closes: watch.closes,
    settle: settled,
    durationMs: Math.round(harnessNow() - started),
  };
}
