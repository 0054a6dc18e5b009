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
