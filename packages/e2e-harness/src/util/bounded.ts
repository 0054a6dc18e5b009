/** How a call of the cache's code ended, as far as the harness waited for it. */
export type BoundedOutcome<T> =
  | { status: 'returned'; value: T }
  | { status: 'threw'; error: unknown }
  /** The bound elapsed first: the call may still be running. */
  | { status: 'timed-out' }
  /** `stop` resolved first (e.g. the tripwire saw a close): no point waiting longer. */
  | { status: 'stopped' };

/**
 * Runs `call` and waits for it at most `ms`. A cache may await its client's `close()`, which
 * undici resolves only when in-flight requests end: an unbounded await would then deadlock
 * against a stream the harness holds back until after the eviction.
 */
export async function bounded<T>(call: () => T | Promise<T>, ms: number, stop?: Promise<void>): Promise<BoundedOutcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<BoundedOutcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'timed-out' }), Math.max(0, ms));
  });
  const finished = (async (): Promise<BoundedOutcome<T>> => {
    try {
      return { status: 'returned', value: await call() };
    } catch (error) {
      return { status: 'threw', error };
    }
  })();
  const racers = [finished, timedOut];
  if (stop) racers.push(stop.then(() => ({ status: 'stopped' })));
  try {
    return await Promise.race(racers);
  } finally {
    clearTimeout(timer);
  }
}
