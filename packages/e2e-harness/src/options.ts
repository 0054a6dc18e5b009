import { adapterPaths, validateAdapter } from './adapter.js';
import type { CacheAdapter, EvictionPath } from './adapter.js';
import { BUILT_IN_KINDS, DEFAULT_KINDS, isBuiltInKind, loadBuiltInKind, requireKindPackages } from './kinds/built-in.js';
import type { ClientKindName } from './kinds/built-in.js';
import type { BackendOptions, ClientKind } from './kinds/client-kind.js';
import { validateClientKind } from './kinds/define-client-kind.js';
import { SCENARIOS } from './report/results.js';
import type { ScenarioName } from './report/results.js';
import type { KindSource } from './session.js';
import type { SettleMode } from './settle/settle.js';
import { describeValue } from './describe-value.js';

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
   * Longest wait after an eviction for the tasks it scheduled, in ms from the start of the
   * eviction. Default 1000. A close deferred beyond it is not seen; the report lists what was pending.
   */
  settleCapMs?: number;
  /** Default `'track'`. `{ sleepMs }` mimics a fixed sleep, for comparison only. */
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
  settleCapMs: number;
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

interface NumberRule {
  /** Used when the option is absent; without one, the option is required. */
  fallback?: number;
  integer?: boolean;
  allowZero?: boolean;
}

function checkedNumber(option: string, value: unknown, { fallback, integer = false, allowZero = false }: NumberRule): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const tooSmall = typeof value === 'number' && (allowZero ? value < 0 : value <= 0);
  if (typeof value !== 'number' || !Number.isFinite(value) || tooSmall || (integer && !Number.isInteger(value))) {
    const what = `${allowZero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'finite number'}`;
    throw new RangeError(`${option} must be a ${what}, got ${describeValue(value)}`);
  }
  return value;
}

const builtInSource = (name: ClientKindName): KindSource => ({ name, load: () => loadBuiltInKind(name) });

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

const OPTION_KEYS = ['clients', 'paths', 'scenarios', 'settleCapMs', 'settle', 'leakProbe', 'api'] as const;

// A typo (settleCap: 5) would otherwise run silently with the default.
function rejectUnknownKeys(where: string, value: object, known: readonly string[]): void {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new TypeError(`${where} has unknown key(s) ${unknown.map((key) => JSON.stringify(key)).join(', ')}; known: ${known.join(', ')}`);
  }
}

/** Validates the adapter and the options (without `cache`); throws TypeError/RangeError saying what to fix. */
export function resolveOptions<TCache>(adapter: CacheAdapter<TCache>, options: EvictionSafetyOptions): ResolvedOptions {
  validateAdapter(adapter);
  rejectUnknownKeys('options', options, OPTION_KEYS);
  const named = adapterPaths(adapter);
  const paths = subsetOf('paths', options.paths, named, named);
  const settle = options.settle ?? 'track';
  if (settle !== 'track') {
    if (typeof settle !== 'object' || settle === null) {
      throw new TypeError(`settle must be 'track' or { sleepMs }, got ${JSON.stringify(settle)}`);
    }
    rejectUnknownKeys('settle', settle, ['sleepMs']);
    checkedNumber('settle.sleepMs', settle.sleepMs, { allowZero: true });
  }
  let leakProbe: ResolvedOptions['leakProbe'];
  if (options.leakProbe !== undefined && options.leakProbe !== false) {
    if (options.leakProbe !== true && (typeof options.leakProbe !== 'object' || options.leakProbe === null)) {
      throw new TypeError(`leakProbe must be true, false or { evictions, keepAliveTimeoutMs, path }, got ${JSON.stringify(options.leakProbe)}`);
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
  if (options.api !== undefined) rejectUnknownKeys('api', options.api, ['chunks', 'chunkIntervalMs']);
  return {
    kinds: resolveKinds(options.clients),
    paths,
    scenarios: subsetOf('scenarios', options.scenarios, SCENARIOS, [...SCENARIOS]),
    settleCapMs: checkedNumber('settleCapMs', options.settleCapMs, { fallback: 1000 }),
    settle,
    leakProbe,
    api: {
      chunks: checkedNumber('api.chunks', options.api?.chunks, { fallback: 4, integer: true }),
      chunkIntervalMs: checkedNumber('api.chunkIntervalMs', options.api?.chunkIntervalMs, { fallback: 1, allowZero: true }),
    },
  };
}
