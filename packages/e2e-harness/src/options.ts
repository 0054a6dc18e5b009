import { adapterPaths, validateAdapter } from './adapter.js';
import type { CacheAdapter, EvictionPath } from './adapter.js';
import type { FakeOpenAIOptions } from './api/fake-openai.js';
import { clientKinds } from './clients/index.js';
import type { ClientKind, ClientKindName } from './clients/index.js';
import { SCENARIOS } from './report.js';
import type { ScenarioName } from './report.js';
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
  /** Client kinds handed to the cache. Default: every shipped kind (`undici-agent`, `openai`). */
  clients?: ClientKindName[];
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
  /** Shape of the fake API's streams. */
  api?: FakeOpenAIOptions;
}

export interface CheckOptions<TCache> extends EvictionSafetyOptions {
  cache: CacheAdapter<TCache>;
}

/** Options with defaults applied and every value checked. */
export interface ResolvedOptions {
  kinds: ClientKind[];
  paths: EvictionPath[];
  scenarios: ScenarioName[];
  settleCapMs: number;
  settle: SettleMode;
  leakProbe: Required<LeakProbeOptions> | undefined;
  api: FakeOpenAIOptions;
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
  const kindNames = Object.keys(clientKinds) as ClientKindName[];
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
    kinds: subsetOf('clients', options.clients, kindNames, kindNames).map((name) => clientKinds[name]),
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
