import { adapterPaths, validateAdapter } from './adapter.js';
import type { CacheAdapter } from './adapter.js';
import type { EvictionPath } from './eviction-paths.js';
import { BUILT_IN_KINDS, DEFAULT_KINDS, isBuiltInKind, loadBuiltInKind, requireKindPackages, warmUpBuiltInKind } from './kinds/built-in.js';
import type { ClientKindName } from './kinds/built-in.js';
import type { BackendOptions, ClientKind } from './kinds/client-kind.js';
import { validateClientKind } from './kinds/define-client-kind.js';
import { SCENARIOS } from './report/results.js';
import type { ScenarioName } from './report/results.js';
import type { KindSource } from './session.js';
import type { SettleMode } from './settle/settle.js';
import { availableParallelism } from 'node:os';
import { describeValue, rejectUnknownKeys, requireObject } from '@no-close-on-evict/cache-core/option-checks';
import { checkedNumber } from './util/checked-number.js';

const DEFAULT_CALL_TIMEOUT_MS = 5000;
const DEFAULT_ADVANCE_BUDGET_MS = 5000;

/** Looks for sockets that evicted, never-closed clients keep open. */
export interface LeakProbeOptions {
  /** Clients evicted per client kind. Default 20. */
  evictions?: number;
  /** Keep-alive of the probe's clients; the probe counts sockets after it elapsed. Default 100 ms. */
  keepAliveTimeoutMs?: number;
  /** Path used to evict. Default: the first path checked. */
  path?: EvictionPath;
}

/** Options of `checkEvictionSafety` (and of `describeEvictionSafety`, minus `cache`). */
export interface EvictionSafetyOptions {
  /**
   * Client kinds handed to the cache: built-in kind names, and kinds of your own from
   * `defineClientKind`. Default `['undici-agent', 'openai']` (the kinds of the required peers).
   */
  clients?: readonly (ClientKindName | ClientKind)[];
  /** Paths to check. Default: every path the adapter's `evict` names. */
  paths?: EvictionPath[];
  /** Default: all three. */
  scenarios?: ScenarioName[];
  /**
   * How long, in ms after its eviction, a holder may keep using an evicted client: the cache's
   * contract with code that kept one. A close of a held client at or after it passes (the report
   * lists it as allowed); one before it fails. Default `Infinity`: a holder may keep an evicted
   * client for ever, so any close of a held client before the cache's shutdown fails, whatever its
   * delay. Virtual time brings every close forward, so a grace of hours costs no real time.
   */
  holderGraceMs?: number;
  /**
   * The longest the harness waits, in real time, for each call into the cache: `create`, `set`,
   * `get`, `lease` and a lease's `release`, each `evict` call, `shutdown`. A call that throws or
   * takes longer fails its case, naming the call. Default 5000.
   */
  callTimeoutMs?: number;
  /**
   * The most real time virtual time may take to run the cache's timers after one eviction. It
   * ends an advance that never goes idle (a cache that keeps scheduling immediates); the case then
   * says what was still due. Default 5000.
   */
  advanceBudgetMs?: number;
  /**
   * Cases run at once, each with its own cache, clients and virtual time. Default
   * `os.availableParallelism()`.
   */
  concurrency?: number;
  /** Default `'virtual-time'`. `{ sleepMs }` mimics a fixed sleep after each eviction, for comparison only. */
  settle?: SettleMode;
  /** Off by default. */
  leakProbe?: boolean | LeakProbeOptions;
  /** Shape of the backends' long operations (passed to each kind's `startBackend`). */
  api?: {
    /** Parts of each long operation (stream chunks, rows, progress steps). Default 4. */
    chunks?: number;
    /** Pause between the parts sent after the release, in ms. Default 1. */
    chunkIntervalMs?: number;
  };
}

export interface CheckOptions<TCache> extends EvictionSafetyOptions {
  cache: CacheAdapter<TCache>;
}

/** Options with defaults applied and every value checked. */
export interface ResolvedOptions {
  kinds: KindSource[];
  paths: EvictionPath[];
  scenarios: ScenarioName[];
  holderGraceMs: number;
  callTimeoutMs: number;
  advanceBudgetMs: number;
  concurrency: number;
  settle: SettleMode;
  leakProbe: Required<LeakProbeOptions> | undefined;
  api: BackendOptions;
}

function subsetOf<T extends string>(option: string, value: unknown, allowed: readonly T[], fallback: T[]): T[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`${option} must be a non-empty array of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  }
  for (const item of value) {
    if (!allowed.includes(item as T)) {
      throw new TypeError(`${option} contains ${JSON.stringify(item)}; allowed: ${allowed.join(', ')}`);
    }
  }
  return value as T[];
}

const builtInSource = (name: ClientKindName): KindSource => ({ name, load: () => loadBuiltInKind(name), warmUp: () => warmUpBuiltInKind(name) });

/** Built-in names (their packages checked now) and kinds of the user's (validated now), each name once. */
function resolveKinds(value: unknown): KindSource[] {
  if (value === undefined) return DEFAULT_KINDS.map(builtInSource);
  const allowed = `${BUILT_IN_KINDS.join(', ')}, or a kind from defineClientKind`;
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`clients must be a non-empty array of ${allowed}; got ${describeValue(value)}`);
  }
  const sources = (value as unknown[]).map((item, index): KindSource => {
    if (typeof item === 'string') {
      if (!isBuiltInKind(item)) throw new TypeError(`clients contains ${JSON.stringify(item)}; allowed: ${allowed}`);
      requireKindPackages(item);
      return builtInSource(item);
    }
    try {
      validateClientKind(item);
    } catch (error) {
      throw new TypeError(`clients[${index}]: ${(error as Error).message}`, { cause: error });
    }
    return { name: item.name, load: async () => item };
  });
  const names = sources.map((source) => source.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new TypeError(`clients names the kind '${repeated}' twice; kind names must be unique`);
  return sources;
}

const OPTION_KEYS = [
  'clients',
  'paths',
  'scenarios',
  'holderGraceMs',
  'callTimeoutMs',
  'advanceBudgetMs',
  'concurrency',
  'settle',
  'leakProbe',
  'api',
] as const;

/** Options that were renamed or removed, and what to use instead. */
const REPLACED_OPTIONS: Record<string, string> = {
  settleCapMs:
    'settleCapMs was removed: instead of waiting a capped time, the harness runs the timers the cache armed in virtual time ' +
    '(see the README for its bounds); the real-time bound on each call into the cache ' +
    "(create, set, get, lease, a lease's release, evict, shutdown) is callTimeoutMs",
};

function rejectReplacedKeys(options: object): void {
  for (const [key, message] of Object.entries(REPLACED_OPTIONS)) {
    if (Object.hasOwn(options, key)) throw new TypeError(`${message}; got ${key}: ${describeValue(Reflect.get(options, key))}`);
  }
}

const SETTLE_MODES = "'virtual-time' or { sleepMs }";

/** Validates the adapter and the options (without `cache`); throws TypeError/RangeError saying what to fix. */
export function resolveOptions<TCache>(adapter: CacheAdapter<TCache>, options: EvictionSafetyOptions): ResolvedOptions {
  validateAdapter(adapter);
  requireObject('options', options);
  rejectReplacedKeys(options);
  rejectUnknownKeys('options', options, OPTION_KEYS);
  const named = adapterPaths(adapter);
  const paths = subsetOf('paths', options.paths, named, named);
  const settle = options.settle ?? 'virtual-time';
  if (settle !== 'virtual-time') {
    if ((settle as unknown) === 'track') throw new TypeError(`settle: 'track' was renamed 'virtual-time' (the default); settle must be ${SETTLE_MODES}`);
    if (typeof settle !== 'object' || settle === null) {
      throw new TypeError(`settle must be ${SETTLE_MODES}, got ${describeValue(settle)}`);
    }
    rejectUnknownKeys('settle', settle, ['sleepMs']);
    checkedNumber('settle.sleepMs', settle.sleepMs, { allowZero: true });
  }
  let leakProbe: ResolvedOptions['leakProbe'];
  if (options.leakProbe !== undefined && options.leakProbe !== false) {
    if (options.leakProbe !== true && (typeof options.leakProbe !== 'object' || options.leakProbe === null)) {
      throw new TypeError(`leakProbe must be true, false or { evictions, keepAliveTimeoutMs, path }, got ${describeValue(options.leakProbe)}`);
    }
    const probe = options.leakProbe === true ? {} : options.leakProbe;
    rejectUnknownKeys('leakProbe', probe, ['evictions', 'keepAliveTimeoutMs', 'path']);
    const path = probe.path ?? paths[0] ?? 'delete';
    if (!named.includes(path)) {
      throw new TypeError(`leakProbe.path must be one of the adapter's paths (${named.join(', ')}), got ${JSON.stringify(path)}`);
    }
    leakProbe = {
      evictions: checkedNumber('leakProbe.evictions', probe.evictions, { fallback: 20, integer: true }),
      keepAliveTimeoutMs: checkedNumber('leakProbe.keepAliveTimeoutMs', probe.keepAliveTimeoutMs, { fallback: 100 }),
      path,
    };
  }
  if (options.api !== undefined) rejectUnknownKeys('api', requireObject('api', options.api), ['chunks', 'chunkIntervalMs']);
  return {
    kinds: resolveKinds(options.clients),
    paths,
    scenarios: subsetOf('scenarios', options.scenarios, SCENARIOS, [...SCENARIOS]),
    holderGraceMs: checkedNumber('holderGraceMs', options.holderGraceMs, { fallback: Number.POSITIVE_INFINITY, allowInfinity: true }),
    callTimeoutMs: checkedNumber('callTimeoutMs', options.callTimeoutMs, { fallback: DEFAULT_CALL_TIMEOUT_MS }),
    advanceBudgetMs: checkedNumber('advanceBudgetMs', options.advanceBudgetMs, { fallback: DEFAULT_ADVANCE_BUDGET_MS }),
    concurrency: checkedNumber('concurrency', options.concurrency, { fallback: availableParallelism(), integer: true }),
    settle,
    leakProbe,
    api: {
      chunks: checkedNumber('api.chunks', options.api?.chunks, { fallback: 4, integer: true }),
      chunkIntervalMs: checkedNumber('api.chunkIntervalMs', options.api?.chunkIntervalMs, { fallback: 1, allowZero: true }),
    },
  };
}
