import { performance } from 'node:perf_hooks';

/**
 * The harness's own monotonic clock, bound at load. The ttl path of some adapters replaces the
 * global `performance.now` for one call (withShiftedClock); bookkeeping that read the global
 * would then date a timer a year ahead and stop waiting for it.
 */
export const harnessNow: () => number = performance.now.bind(performance);

/** The real wall clock (`Date.now`), bound at load, before any case replaces it. */
export const wallNow: () => number = Date.now.bind(Date);
