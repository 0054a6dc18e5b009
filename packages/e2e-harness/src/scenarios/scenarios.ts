import type { HeldOperation, RunningKind } from '../kinds/running-kind.js';
import type { ScenarioName } from '../report/results.js';

/** What a scenario may do with the case the harness prepared. */
export interface ScenarioContext {
  kind: RunningKind;
  /** The client set under the key, still held by the scenario after eviction. */
  holder: object;
  /**
   * Evicts the key by the case's path (one instant of the case's virtual time), runs `afterEvict`,
   * then runs the cache's timers in virtual time: all of them, or those due before the holders'
   * grace (`holderGraceMs`). The holders then act at that instant.
   */
  evictAndSettle(afterEvict?: () => Promise<void>): Promise<void>;
  /** Starts the holder's long operation, which the backend holds until `release()`. */
  startLongOperation(): HeldOperation;
  /** Lets the held operation finish. */
  release(): void;
  /** Sets a new, watched, connected client under the key (and leases it, when the adapter has leases). */
  reinsert(): Promise<object>;
  /** What the cache returns for the key now. */
  cachedValue(): Promise<unknown>;
}

/** Each scenario throws what the client failed with, or a plain Error for a wrong outcome. */
export const scenarios: Record<ScenarioName, (context: ScenarioContext) => Promise<void>> = {
  async 'stream-in-flight'(context) {
    const operation = context.startLongOperation();
    await operation.started;
    await context.evictAndSettle();
    context.release();
    await operation.finish();
  },

  async 'holder-request-after-eviction'(context) {
    await context.evictAndSettle();
    await context.kind.followUp(context.holder);
  },

  async 'reinsert-after-eviction'(context) {
    let reinserted: object | undefined;
    await context.evictAndSettle(async () => {
      reinserted = await context.reinsert();
      // Checked before time passes: the entry may legitimately expire later (its own TTL timer).
      if ((await context.cachedValue()) !== reinserted) {
        throw new Error('after eviction and re-insert, get() does not return the re-inserted client');
      }
    });
    if (reinserted === undefined) throw new Error('the eviction ended before the re-insert');
    await context.kind.followUp(reinserted);
  },
};
