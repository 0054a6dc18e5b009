import { badReading, defaultClock } from './clock.js';
import { describeValue, rejectUnknownKeys, requireFunction, requireNumber, requireObject } from './option-checks.js';

/**
 * Options shared by every cache in this package. Anything but an object (an array too) is a
 * `TypeError`; so is an unknown key (a typo such as `defaultTTL`), named with the allowed ones.
 * A subclass that takes options of its own lists every name it accepts in its
 * `protected static optionNames`.
 */
export interface InMemoryCacheOptions {
  /**
   * Most entries held at once. An integer from 0 to 16,777,216 (the most entries a `Map` holds);
   * `0` disables caching (every `set` is ignored), as LiteLLM's `max_size_in_memory=0` does.
   * @defaultValue 200
   */
  maxSize?: number;
  /**
   * Lifetime of an entry when `set` gets no `ttlMs`, in milliseconds: a number >= 1, or
   * `Infinity` for entries that never expire (they still leave by size, delete or clear).
   * Shorter TTLs are refused: they could not outlive the next read.
   * @defaultValue 600_000 (10 minutes, LiteLLM's `default_ttl`)
   */
  defaultTtlMs?: number;
  /**
   * Current time in milliseconds. Only differences matter, so any monotonic source works. Every
   * reading is checked where it is read: a non-number is a `TypeError`, a reading that is not
   * finite or beyond ±`Number.MAX_SAFE_INTEGER` a `RangeError`, both naming the clock; the
   * operation that read it changes nothing. A reading below an earlier one counts as the earlier
   * one: time in the cache never runs backwards, so an entry once expired stays expired.
   * @defaultValue `performance.now()`, read at most once per synchronous run of code (see
   * `defaultClock`): monotonic, so a wall-clock jump (NTP, manual change) neither expires every
   * entry at once nor keeps them forever, as `Date.now()` would. Pass
   * `() => performance.now()` for a fresh reading on every operation.
   */
  clock?: () => number;
}

/** Options of one `set` call; anything but an object or `undefined`, or an unknown key, is a `TypeError`. */
export interface SetOptions {
  /** Lifetime of this entry in milliseconds, >= 1 or `Infinity`. @defaultValue the cache's `defaultTtlMs` */
  ttlMs?: number;
}

/** When `ClientCache` closes an owned client that has left the cache. */
export type CloseEvicted = 'at-shutdown' | 'when-released';

/** Options of a `ClientCache`; `defaultTtlMs` defaults to one hour there. */
export interface ClientCacheOptions<C> extends InMemoryCacheOptions {
  /**
   * Closes one owned client; may return a promise. Called at most once per client: by
   * `closeAll`, or, with `closeEvicted: 'when-released'`, when the last holder of an evicted
   * client lets go. Never while a lease is held.
   * @defaultValue {@link closeClient}: `close()`, `aclose()`, `destroy()` or `[Symbol.asyncDispose]()`
   */
  closeClient?: (client: C) => unknown;
  /**
   * Whether a client is already closed. A cached client that is closed is dropped (hook reason
   * `'delete'`) instead of handed out, a factory that returns one is an error, and no close is
   * attempted on one.
   * @defaultValue `client.closed === true || client.destroyed === true` (undici dispatchers, streams)
   */
  isClosed?: (client: C) => boolean;
  /**
   * When an owned client that left the cache (size, TTL, delete, overwrite, clear) is closed:
   * - `'at-shutdown'`: by `closeAll`, never before. Evicted clients are held weakly until then.
   * - `'when-released'`: as soon as nothing holds it: at once if it leaves with no lease
   *   outstanding, else when its last lease is released; exactly once. Only clients handed out
   *   by `lease`/`withClient` alone qualify: one that `get` or `getOrCreate` ever returned may be
   *   kept by code the cache cannot see, so it is closed at shutdown, as in `'at-shutdown'`.
   * @defaultValue `'at-shutdown'`
   */
  closeEvicted?: CloseEvicted;
}

/** Options of `ClientCache#closeAll`. */
export interface CloseAllOptions {
  /**
   * How long to wait, in milliseconds, for closes to settle and leases to be released before
   * rejecting with what is still outstanding. A number > 0 and at most 2,147,483,647 (the
   * longest timer Node arms), or `Infinity` to wait for ever.
   * @defaultValue 10_000
   */
  timeoutMs?: number;
}

export interface ResolvedCacheOptions {
  readonly maxSize: number;
  readonly defaultTtlMs: number;
  readonly clock: () => number;
}

export interface ResolvedClientOptions<C> {
  readonly closeClient: ((client: C) => unknown) | undefined;
  readonly isClosed: ((client: C) => boolean) | undefined;
  readonly closeEvicted: CloseEvicted;
}

const DEFAULT_MAX_SIZE = 200;
/** V8 throws "Map maximum size exceeded" past 2^24 entries. */
const MAX_SIZE_LIMIT = 2 ** 24;
const MIN_TTL_MS = 1;
const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
/** Node turns a longer timer into a 1 ms one, with a warning. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The option names `InMemoryCache` accepts. */
export const CACHE_OPTION_NAMES: readonly string[] = ['maxSize', 'defaultTtlMs', 'clock'];
/** The option names `ClientCache` accepts. */
export const CLIENT_CACHE_OPTION_NAMES: readonly string[] = [...CACHE_OPTION_NAMES, 'closeClient', 'isClosed', 'closeEvicted'];
const SET_OPTION_NAMES: readonly string[] = ['ttlMs'];
const CLOSE_ALL_OPTION_NAMES: readonly string[] = ['timeoutMs'];
const CLOSE_EVICTED_MODES: readonly CloseEvicted[] = ['at-shutdown', 'when-released'];

/** Validates a lifetime in ms: a number >= 1, `Infinity` allowed. */
function validateTtl(name: string, value: unknown): number {
  const ttl = requireNumber(name, value);
  if (!(ttl >= MIN_TTL_MS)) {
    throw new RangeError(`${name} must be a number of milliseconds >= ${MIN_TTL_MS} (or Infinity), got ${describeValue(ttl)}`);
  }
  return ttl;
}

function validateMaxSize(value: unknown): number {
  const size = requireNumber('maxSize', value);
  if (!Number.isInteger(size) || size < 0 || size > MAX_SIZE_LIMIT) {
    throw new RangeError(`maxSize must be an integer from 0 to ${MAX_SIZE_LIMIT} (the most entries a Map holds), got ${describeValue(size)}`);
  }
  return size;
}

function validateClock(value: unknown): () => number {
  const clock = requireFunction<() => number>('clock', value);
  // Read once now, so `clock: Date` (returns a string) fails here, not at the first `set`.
  const problem = badReading(clock());
  if (problem) throw problem;
  return clock;
}

/** Keys are strings: `undefined` or a number would otherwise be stored as a key of its own. */
export function keyError(key: unknown): TypeError {
  return new TypeError(`key must be a string, got ${describeValue(key)}`);
}

/** The validated `ttlMs` of a `set` options argument, or `undefined` when it gives none. */
export function readSetTtl(options: unknown): number | undefined {
  // `set(key, value, 5)`, LiteLLM's positional TTL, must not quietly fall back to the default.
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`set options must be an object such as { ttlMs: 5000 }, got ${describeValue(options)}`);
  }
  // `rejectUnknownKeys` does the same; this loop is inlined into every `set` that passes options.
  for (const key in options) if (key !== 'ttlMs' && Object.hasOwn(options, key)) rejectUnknownKeys('set options', options, SET_OPTION_NAMES);
  const { ttlMs } = options as SetOptions;
  return ttlMs === undefined ? undefined : validateTtl('ttlMs', ttlMs);
}

/** `owner` names the class in messages; `optionNames` are the keys it accepts. */
export function resolveCacheOptions(
  options: InMemoryCacheOptions | undefined,
  defaultTtlMs: number,
  owner: string,
  optionNames: readonly string[],
): ResolvedCacheOptions {
  if (options === undefined) return { maxSize: DEFAULT_MAX_SIZE, defaultTtlMs, clock: defaultClock };
  requireObject(`${owner} options`, options);
  rejectUnknownKeys(`${owner} options`, options, optionNames);
  return {
    maxSize: options.maxSize === undefined ? DEFAULT_MAX_SIZE : validateMaxSize(options.maxSize),
    defaultTtlMs: options.defaultTtlMs === undefined ? defaultTtlMs : validateTtl('defaultTtlMs', options.defaultTtlMs),
    clock: options.clock === undefined ? defaultClock : validateClock(options.clock),
  };
}

/** The `ClientCache` options on top of the cache's own (already checked by `resolveCacheOptions`). */
export function resolveClientOptions<C>(options: ClientCacheOptions<C> | undefined): ResolvedClientOptions<C> {
  const closeEvicted: unknown = options?.closeEvicted ?? 'at-shutdown';
  if (!CLOSE_EVICTED_MODES.includes(closeEvicted as CloseEvicted)) {
    throw new TypeError(`closeEvicted must be ${CLOSE_EVICTED_MODES.map((mode) => `'${mode}'`).join(' or ')}, got ${describeValue(closeEvicted)}`);
  }
  return {
    closeClient: options?.closeClient === undefined ? undefined : requireFunction<(client: C) => unknown>('closeClient', options.closeClient),
    isClosed: options?.isClosed === undefined ? undefined : requireFunction<(client: C) => boolean>('isClosed', options.isClosed),
    closeEvicted: closeEvicted as CloseEvicted,
  };
}

/** The validated `timeoutMs` of a `closeAll` call. */
export function readCloseAllTimeout(options: unknown): number {
  if (options === undefined) return DEFAULT_CLOSE_TIMEOUT_MS;
  rejectUnknownKeys('closeAll options', requireObject('closeAll options', options), CLOSE_ALL_OPTION_NAMES);
  const { timeoutMs } = options as CloseAllOptions;
  if (timeoutMs === undefined) return DEFAULT_CLOSE_TIMEOUT_MS;
  const timeout = requireNumber('timeoutMs', timeoutMs);
  if (!(timeout > 0 && (timeout <= MAX_TIMEOUT_MS || timeout === Infinity))) {
    throw new RangeError(`timeoutMs must be > 0 and <= ${MAX_TIMEOUT_MS} milliseconds (or Infinity), got ${describeValue(timeout)}`);
  }
  return timeout;
}
