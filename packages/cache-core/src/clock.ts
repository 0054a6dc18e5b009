import { describeValue } from './option-checks.js';

let cachedNow: number | undefined;
const forgetNow = (): void => {
  cachedNow = undefined;
};

/**
 * `performance.now()`, read at most once per synchronous run of code: the first call reads the
 * clock and queues a microtask that forgets the reading. Reading the clock costs more than a
 * cache hit, and lru-cache debounces it the same way (`ttlResolution`). Within one synchronous
 * run time stands still, so an entry can outlive its TTL by at most that run's length.
 *
 * Monotonic, unlike `Date.now()`: a wall-clock jump (NTP, manual change) neither expires every
 * entry at once nor keeps them forever.
 */
export function defaultClock(): number {
  if (cachedNow === undefined) {
    cachedNow = performance.now();
    queueMicrotask(forgetNow);
  }
  return cachedNow;
}

/**
 * Largest clock reading accepted, either sign. Up to here a double counts every millisecond, so
 * `now + ttlMs > now` for any TTL of at least 1 ms: no entry is dead on arrival by rounding.
 */
export const CLOCK_LIMIT = Number.MAX_SAFE_INTEGER;

/** Why a clock reading cannot be used, or `undefined` if it can. */
export function badReading(reading: unknown): TypeError | RangeError | undefined {
  if (typeof reading !== 'number') {
    return new TypeError(`clock must return a number of milliseconds, got ${describeValue(reading)}`);
  }
  if (!(Math.abs(reading) <= CLOCK_LIMIT)) {
    return new RangeError(
      `clock returned ${describeValue(reading)}; it must return a finite number of milliseconds within ±Number.MAX_SAFE_INTEGER`,
    );
  }
  return undefined;
}
