import { AdapterError, checkedLease } from '../adapter.js';
import type { CacheAdapter, EvictionTools, HolderLease } from '../adapter.js';
import type { EvictionPath } from '../eviction-paths.js';
import type { EvictableClient } from '../kinds/client-kind.js';
import type { RunningKind } from '../kinds/running-kind.js';
import { classifyError } from '../report/classify-error.js';
import type { CaseResult, ObservedError, ScenarioName } from '../report/results.js';
import { caseTime } from '../settle/case-time.js';
import { trackResources } from '../settle/resource-tracker.js';
import { CaseSettle } from '../settle/settle.js';
import type { SettleMode } from '../settle/settle.js';
import { openCacheScope } from '../settle/tracking-scope.js';
import { SAME_INSTANT_MS } from '../settle/virtual-time.js';
import type { Eviction } from '../settle/tracking-scope.js';
import { CloseWatch, markClosesHandled } from '../tripwire/close-watch.js';
import type { AllowedBy, ObservedClose } from '../tripwire/close-watch.js';
import { harnessNow } from '../util/harness-clock.js';
import { callCache, evictBounded, hungCall, shutDown } from './cache-calls.js';
import type { CacheCallContext } from './cache-calls.js';
import { clientFactory } from './case-clients.js';
import { scenarios } from './scenarios.js';

/** The key every case stores its client under. */
const CASE_KEY = 'client-under-test';

/** The watched clients: the one the eviction evicted while a holder kept it, and the one set after it. */
const HELD_CLIENT = 'held client';
const REINSERTED_CLIENT = 're-inserted client';

export interface CaseSpec {
  path: EvictionPath;
  /** The name of the client kind. */
  client: string;
  scenario: ScenarioName;
}

/** The resolved options a case runs with. */
export interface CasePolicy {
  settle: SettleMode;
  holderGraceMs: number;
  callTimeoutMs: number;
  advanceBudgetMs: number;
}

export interface CaseEnvironment {
  /** The case's client kind, its backend running. */
  kind: RunningKind;
  policy: CasePolicy;
}

const PATH_HINTS: Record<EvictionPath, string> = {
  size: 'is the cache bounded (max / maxSize) and does evict.size add fillers until the key is gone?',
  ttl: 'does the entry have a TTL, and does evict.ttl move the cache clock past it and then touch the key?',
  delete: 'does evict.delete delete the key?',
  overwrite: 'does evict.overwrite set another client (tools.spareClient()) under the key?',
  clear: 'does evict.clear clear the cache?',
};

let holdSequence = 0;

/** The leases the harness's holders took, by watched client (`held client`, `re-inserted client`). */
class HolderLeases {
  readonly #leases = new Map<string, { lease: HolderLease; released: boolean }>();

  take(client: string, lease: HolderLease): void {
    this.#leases.set(client, { lease, released: false });
  }

  /** The verdict on a close of `client`: a leased client may be closed only after its release. */
  verdict(client: string): AllowedBy | 'leased' | undefined {
    const held = this.#leases.get(client);
    if (held === undefined) return undefined;
    return held.released ? 'lease-released' : 'leased';
  }

  /** Releases every lease still held, each a bounded call into the cache. */
  async releaseAll(context: CacheCallContext): Promise<void> {
    for (const [client, held] of this.#leases) {
      if (held.released) continue;
      held.released = true;
      await callCache(`the ${client}'s lease release`, context, () => held.lease.release());
    }
  }
}

/**
 * Runs one path × client × scenario on a fresh cache, fresh clients and its own virtual time. A
 * misbehaving cache yields a failed result; a misconfigured adapter throws an AdapterError.
 *
 * The case's clock stands still from the start of the eviction: the eviction is one instant, the
 * cache's timers then run in virtual time, in order of their due time, up to the holders' grace
 * (all of them by default), the holders do their work at that instant, let go of the client
 * (releasing their leases), and the rest of the cache's timers run before its shutdown.
 */
export async function runCase<TCache>(
  adapter: CacheAdapter<TCache>,
  spec: CaseSpec,
  environment: CaseEnvironment,
): Promise<CaseResult> {
  const started = harnessNow();
  const label = `adapter '${adapter.name}'`;
  const { kind, policy } = environment;
  const leases = new HolderLeases();
  const judge = (close: ObservedClose, msAfterEviction: number | undefined): AllowedBy | undefined => {
    // The grace and the release let a cache close only the client it evicted: the re-inserted
    // client is still cached, and closing it fails whatever its holders did.
    if (close.client !== HELD_CLIENT) return undefined;
    const leased = leases.verdict(close.client);
    if (leased !== undefined) return leased === 'leased' ? undefined : leased;
    // Unrounded: a close 0.4 ms before the grace is before it. Within a microsecond is the same instant.
    return msAfterEviction !== undefined && msAfterEviction >= policy.holderGraceMs - SAME_INSTANT_MS ? 'holder-grace' : undefined;
  };
  const watch = new CloseWatch(judge);
  const clients: EvictableClient[] = [];
  const newClient = clientFactory(kind, clients);
  const spareClient = () => {
    const client = newClient();
    markClosesHandled(kind.closers(client), kind.verbs);
    return client;
  };
  const watchedClient = async (watchedAs: string) => {
    const client = newClient();
    await kind.connect(client);
    watch.watch(watchedAs, kind.closers(client), kind.verbs);
    return client;
  };
  const tools: EvictionTools = { spareClient };
  const holdId = `hold-${++holdSequence}`;
  const time = caseTime(policy.holderGraceMs);
  const settle = new CaseSettle(policy.settle, time, policy.advanceBudgetMs);
  const cacheScope = openCacheScope(time);
  const stopTrackingCache = trackResources(cacheScope);
  const calls: CacheCallContext = { scope: cacheScope, timeoutMs: policy.callTimeoutMs };
  let error: ObservedError | undefined;
  let shutdownError: ObservedError | undefined;
  let cache: { value: TCache } | undefined;
  /** Set once the eviction returned and time passed after it: the holders then let go, and time passes again. */
  let settled: Eviction | undefined;
  let releaseClock: (() => void) | undefined;

  /** Leases `client` for `watchedAs` when the adapter has leases; `lease.client` must be `client`. */
  const takeLease = async (instance: TCache, client: object, watchedAs: string) => {
    if (adapter.lease === undefined) return;
    const lease = checkedLease(adapter, CASE_KEY, await callCache('lease', calls, () => adapter.lease?.(instance, CASE_KEY)));
    if (lease.client !== client) {
      throw watchedAs === HELD_CLIENT
        ? new AdapterError(`${label}: lease(cache, '${CASE_KEY}') right after set is not a lease on the client that was set; lease must return the very object cached`)
        : new Error(`after eviction and re-insert, lease(cache, '${CASE_KEY}') is not a lease on the re-inserted client`);
    }
    leases.take(watchedAs, lease);
  };

  try {
    const holder = await watchedClient(HELD_CLIENT);
    cache = { value: await callCache('create', calls, () => adapter.create()) };
    const instance = cache.value;
    await callCache('set', calls, () => adapter.set(instance, CASE_KEY, holder));
    if ((await callCache('get', calls, () => adapter.get(instance, CASE_KEY))) !== holder) {
      throw new AdapterError(
        `${label}: get(cache, '${CASE_KEY}') right after set does not return the client that was set; ` +
          'get must return the very object set (a cache that clones values, like node-cache by default, needs useClones: false)',
      );
    }
    await takeLease(instance, holder, HELD_CLIENT);
    const evictEntry = adapter.evict[spec.path];
    if (evictEntry === undefined) throw new AdapterError(`${label}: evict.${spec.path} is not defined`);

    await scenarios[spec.scenario]({
      kind,
      holder,
      startLongOperation: () => kind.longOperation(holder, holdId),
      release: () => kind.release(holdId),
      reinsert: async () => {
        const reinserted = await watchedClient(REINSERTED_CLIENT);
        await callCache('set', calls, () => adapter.set(instance, CASE_KEY, reinserted));
        await takeLease(instance, reinserted, REINSERTED_CLIENT);
        return reinserted;
      },
      cachedValue: () => callCache('get', calls, () => adapter.get(instance, CASE_KEY)),
      async evictAndSettle(afterEvict) {
        // Held until the case ends: the eviction is one instant, and the holders act at the
        // instant virtual time stopped, however long their requests take in real time.
        releaseClock = time.hold();
        const { eviction, outcome: evicted } = await evictBounded(
          cacheScope,
          { path: spec.path, key: CASE_KEY },
          policy.callTimeoutMs,
          async () => {
            await evictEntry(instance, CASE_KEY, tools);
            return adapter.get(instance, CASE_KEY);
          },
          watch.firstFailure,
        );
        if (evicted.status === 'threw') throw evicted.error;
        if (evicted.status === 'returned' && evicted.value === holder) {
          throw new AdapterError(
            `${label}: evict.${spec.path} returned but get(cache, '${CASE_KEY}') still returns the client; ${PATH_HINTS[spec.path]}`,
          );
        }
        if (evicted.status === 'timed-out') {
          settle.evictHung(eviction);
          if (!watch.failed) {
            throw new Error(
              `${hungCall(`evict.${spec.path}`, policy.callTimeoutMs)}; ` +
                'an eviction that waits for its client (e.g. awaits close()) blocks while the client is in use',
            );
          }
          return;
        }
        await afterEvict?.();
        // Holders may keep the client until the grace: what is due before it runs now, however
        // little before (the advance runs what is due within a microsecond of `until`).
        const beforeGrace = Number.isFinite(policy.holderGraceMs) ? eviction.startedAt + policy.holderGraceMs - 2 * SAME_INSTANT_MS : undefined;
        await settle.pass(eviction, { until: beforeGrace, stopWhen: () => watch.failed });
        settled = eviction;
      },
    });
  } catch (caught) {
    if (caught instanceof AdapterError) throw caught;
    error = classifyError(caught, kind.classify);
  } finally {
    kind.release(holdId);
    // The holders are done: they let go of their leases, and the rest of the cache's timers run,
    // closes after the grace or after a release included, before the shutdown.
    if (settled !== undefined) {
      const eviction = settled;
      try {
        await leases.releaseAll(calls);
        await settle.pass(eviction, { stopWhen: () => watch.failed });
      } catch (caught) {
        error ??= classifyError(caught, kind.classify);
      }
    }
    if (settle.ended === 'budget') {
      // Not a pass: the cache's work was still running, and a close it makes later is not checked.
      const ranOut = new Error(
        `advanceBudgetMs (${policy.advanceBudgetMs} ms) of real time ran out while the cache's timers ran in virtual time ` +
          "(the cache kept scheduling work): the check could not finish; stop that work or raise advanceBudgetMs",
      );
      error ??= classifyError(ranOut, kind.classify);
    }
    watch.disarm();
    releaseClock?.();
    if (cache !== undefined) shutdownError = await shutDown(adapter, cache.value, calls, kind.classify);
    // Ends the case's virtual time: what the cache still has scheduled is cleared.
    stopTrackingCache();
    await Promise.all(clients.map((client) => kind.dispose(client)));
  }

  return {
    path: spec.path,
    client: kind.name,
    scenario: spec.scenario,
    ok: error === undefined && shutdownError === undefined && !watch.failed,
    ...(error && { error }),
    ...(shutdownError && { shutdownError }),
    closes: watch.closes,
    settle: settle.outcome(),
    durationMs: Math.round(harnessNow() - started),
  };
}
