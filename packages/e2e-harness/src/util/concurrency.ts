/** Runs a task once fewer than the limit's tasks are running; resolves or rejects as the task does. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** A limiter that runs at most `limit` tasks at a time, the others in the order they came. */
export function limitConcurrency(limit: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * Runs `task` for every item, at most `limit` at a time, and resolves with the results in the
 * items' order, however the tasks interleave. After a task or a `ready` wait rejects, no further
 * task starts; once the running ones have settled, it rejects with that rejection (also when the
 * tasks already running rejected with the same error), or else with an AggregateError holding
 * every rejection in the items' order: none is dropped.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
  /** Awaited before the item takes a place: items not ready let the ready ones behind them go first. */
  ready?: (item: T) => Promise<unknown>,
): Promise<R[]> {
  const run = limitConcurrency(limit);
  let failed = false;
  const failOn = async <V>(step: () => Promise<V>): Promise<V> => {
    try {
      return await step();
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  const outcomes = await Promise.allSettled(
    items.map(async (item) => {
      if (ready) await failOn(() => ready(item));
      return run(async () => (failed ? { skipped: true as const } : { skipped: false as const, value: await failOn(() => task(item)) }));
    }),
  );
  // One error that several items met (a backend that failed to start) counts once.
  const errors = [...new Set(outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : [])))];
  const described = errors.map((error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
  const distinct = [...new Set(described)];
  // The same misconfiguration hit by every running task is one error, thrown with its own type.
  if (distinct.length === 1) throw errors[0];
  if (distinct.length > 1) throw new AggregateError(errors, `${errors.length} tasks failed: ${distinct.join('; ')}`);
  return outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' && !outcome.value.skipped ? [outcome.value.value] : []));
}
