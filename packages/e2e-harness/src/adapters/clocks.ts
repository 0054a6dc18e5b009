import { performance } from 'node:perf_hooks';

/** A clock that moves only when told to: TTLs expire exactly when the harness decides. */
export class ManualClock {
  #now = performance.now();

  readonly now = (): number => this.#now;

  advance(ms: number): void {
    this.#now += ms;
  }
}

/**
 * Runs `task` with `Date.now()` and `performance.now()` moved `ms` ahead, for libraries that read
 * the global clocks and take no clock option (quick-lru, node-cache, @isaacs/ttlcache).
 * Only the synchronous part of `task` sees the shifted time.
 */
export function withShiftedClock<T>(ms: number, task: () => T): T {
  const realDateNow = Date.now;
  // A fake clock may be installed as an own property: put back exactly what was there.
  const ownPerformanceNow = Object.getOwnPropertyDescriptor(performance, 'now');
  const realPerformanceNow = performance.now.bind(performance);
  Date.now = () => realDateNow() + ms;
  Object.defineProperty(performance, 'now', { value: () => realPerformanceNow() + ms, configurable: true });
  try {
    return task();
  } finally {
    Date.now = realDateNow;
    if (ownPerformanceNow) Object.defineProperty(performance, 'now', ownPerformanceNow);
    else Reflect.deleteProperty(performance, 'now');
  }
}

/** How far the ttl path moves time: past any TTL a test would configure. */
export const TTL_ADVANCE_MS = 366 * 24 * 60 * 60 * 1000;

/** TTL given to entries when the user's cache options set none, so the ttl path has one to pass. */
export const DEFAULT_ENTRY_TTL_MS = 60_000;
