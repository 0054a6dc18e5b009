import { defaultClock } from './clock.js';

/**
 * Options shared by every cache in this package. An unknown key (a typo such as `defaultTTL`)
 * is a `TypeError` naming it and the allowed ones; a subclass that takes options of its own
 * lists every name it accepts in its `protected static optionNames`.
 */
export interface InMemoryCacheOptions {
  /**
   * Most entries held at once. An integer >= 0; `0` disables caching (every `set` is ignored),
   * as LiteLLM's `max_size_in_memory=0` does.
   * @defaultValue 200
   */
  maxSize?: number;
  /**
   * Lifetime of an entry when `set` gets no `ttlMs`, in milliseconds. A number > 0;
   * `Infinity` means entries never expire (they still leave by size, delete or clear).
   * @defaultValue 600_000 (10 minutes, LiteLLM's `default_ttl`)
   */
  defaultTtlMs?: number;
  /**
   * Current time in milliseconds. Only differences matter, so any monotonic source works.
   * @defaultValue `performance.now()`, read at most once per synchronous run of code (see
   * `defaultClock`): monotonic, so a wall-clock jump (NTP, manual change) neither expires every
   * entry at once nor keeps them forever, as `Date.now()` would. Pass
   * `() => performance.now()` for a fresh reading on every operation.
   */
  clock?: () => number;
}

/** Options of one `set` call; anything but an object or `undefined`, or an unknown key, is a `TypeError`. */
export interface SetOptions {
  /** Lifetime of this entry in milliseconds, > 0 or `Infinity`. @defaultValue the cache's `defaultTtlMs` */
  ttlMs?: number;
}

export interface ResolvedCacheOptions {
  readonly maxSize: number;
  readonly defaultTtlMs: number;
  readonly clock: () => number;
}

const DEFAULT_MAX_SIZE = 200;

/** The option names `InMemoryCache` accepts. */
export const CACHE_OPTION_NAMES: readonly string[] = ['maxSize', 'defaultTtlMs', 'clock'];
const SET_OPTION_NAMES: readonly string[] = ['ttlMs'];

/** Renders a bad option value for an error message: strings quoted, numbers as written. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'symbol') return value.toString();
  return Array.isArray(value) ? 'an array' : 'an object';
}

function requireNumber(name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  }
  return value;
}

/** Validates a lifetime in ms: a number > 0, `Infinity` allowed. */
function validateTtl(name: string, value: unknown): number {
  const ttl = requireNumber(name, value);
  if (!(ttl > 0)) {
    throw new RangeError(`${name} must be > 0 milliseconds (or Infinity), got ${describeValue(ttl)}`);
  }
  return ttl;
}

function validateMaxSize(name: string, value: unknown): number {
  const size = requireNumber(name, value);
  if (!Number.isInteger(size) || size < 0) {
    throw new RangeError(`${name} must be an integer >= 0, got ${describeValue(size)}`);
  }
  return size;
}

export function requireFunction<F extends (...args: never[]) => unknown>(name: string, value: unknown): F {
  if (typeof value !== 'function') {
    throw new TypeError(`${name} must be a function, got ${describeValue(value)}`);
  }
  return value as F;
}

/** Unknown keys are typos (`ttl`, `defaultTTL`) that would otherwise be ignored in silence. */
function rejectUnknownOptions(owner: string, options: object, allowed: readonly string[]): void {
  for (const name in options) {
    if (!allowed.includes(name)) {
      throw new TypeError(`${owner}: unknown option ${JSON.stringify(name)}; allowed: ${allowed.join(', ')}`);
    }
  }
}

/** Keys are strings: `undefined` or a number would otherwise be stored as a key of its own. */
export function keyError(key: unknown): TypeError {
  return new TypeError(`key must be a string, got ${describeValue(key)}`);
}

/** The validated `ttlMs` of a `set` options argument, or `undefined` when it gives none. */
export function readSetTtl(options: unknown): number | undefined {
  // `set(key, value, 5)`, LiteLLM's positional TTL, must not quietly fall back to the default.
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`set options must be an object such as { ttlMs: 5000 }, got ${describeValue(options)}`);
  }
  rejectUnknownOptions('set', options, SET_OPTION_NAMES);
  const { ttlMs } = options as SetOptions;
  return ttlMs === undefined ? undefined : validateTtl('ttlMs', ttlMs);
}

function validateClock(value: unknown): () => number {
  const clock = requireFunction<() => number>('clock', value);
  // Probe once: catches `clock: Date` (returns a string) without a check on every operation.
  const sample: unknown = clock();
  if (typeof sample !== 'number' || Number.isNaN(sample)) {
    throw new TypeError(`clock must return a number of milliseconds, got ${describeValue(sample)}`);
  }
  return clock;
}

/** `owner` names the class in messages; `optionNames` are the keys it accepts. */
export function resolveCacheOptions(
  options: InMemoryCacheOptions | undefined,
  defaultTtlMs: number,
  owner: string,
  optionNames: readonly string[],
): ResolvedCacheOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`options must be an object, got ${describeValue(options)}`);
  }
  if (options !== undefined) rejectUnknownOptions(owner, options, optionNames);
  return {
    maxSize: options?.maxSize === undefined ? DEFAULT_MAX_SIZE : validateMaxSize('maxSize', options.maxSize),
    defaultTtlMs:
      options?.defaultTtlMs === undefined ? defaultTtlMs : validateTtl('defaultTtlMs', options.defaultTtlMs),
    clock: options?.clock === undefined ? defaultClock : validateClock(options.clock),
  };
}
