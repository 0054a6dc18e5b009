import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CacheAdapter } from './adapter.js';
import { caseSpecs, openCheckSession, runCaseInSession, runLeakProbe } from './check-eviction-safety.js';
import { BACKEND_START_TIMEOUT_MS, KIND_CALL_TIMEOUT_MS } from './kinds/running-kind.js';
import { resolveOptions } from './options.js';
import type { EvictionSafetyOptions, ResolvedOptions } from './options.js';
import { caseTitle, formatCaseResult, formatLeakProbe } from './report/format.js';
import type { CaseResult, LeakProbeResult } from './report/results.js';
import type { HarnessSession } from './session.js';
import { limitConcurrency } from './util/concurrency.js';

/** A failed case; the message is the readable explanation, `result` the raw data. */
export class EvictionSafetyError extends Error {
  override name = 'EvictionSafetyError';

  constructor(
    message: string,
    readonly result: CaseResult | LeakProbeResult,
  ) {
    super(message);
  }
}

// Room for the clients' own requests on top of the harness's bounded waits.
const TEST_TIMEOUT_MARGIN_MS = 10_000;

/**
 * The longest a case may take: a call into the cache that hangs (`callTimeoutMs`, which ends the
 * case) and its shutdown (another), two runs of virtual time (`advanceBudgetMs` each), the fixed
 * sleep in `{ sleepMs }` mode, a kind's call that hangs, and the clients' requests.
 */
export function caseTimeoutMs(resolved: Pick<ResolvedOptions, 'settle' | 'callTimeoutMs' | 'advanceBudgetMs'>): number {
  const sleepMs = resolved.settle === 'virtual-time' ? 0 : resolved.settle.sleepMs;
  return 2 * resolved.callTimeoutMs + 2 * resolved.advanceBudgetMs + sleepMs + KIND_CALL_TIMEOUT_MS + TEST_TIMEOUT_MARGIN_MS;
}

/**
 * Declares a `describe` block with one test per path × client × scenario (and one leak probe per
 * client when enabled). A bad adapter or option throws at collection time. With `concurrency`
 * above 1 (the default on a machine with several cores) the case tests are concurrent, at most
 * `concurrency` running at once; the leak probes run after them, one at a time.
 */
export function describeEvictionSafety<TCache>(
  name: string,
  adapter: CacheAdapter<TCache>,
  options: EvictionSafetyOptions = {},
): void {
  const resolved = resolveOptions(adapter, options);
  const concurrent = resolved.concurrency > 1;
  const limit = limitConcurrency(resolved.concurrency);
  // A concurrent test may first wait for a slot: for the cases ahead of it, which take
  // milliseconds unless they too hit their bounds (and then fail anyway).
  const timeout = caseTimeoutMs(resolved) * (concurrent ? 2 : 1);
  describe(name, () => {
    let session: HarnessSession | undefined;
    const openedSession = () => {
      if (!session) throw new Error("describeEvictionSafety: the kinds' backends did not start (see beforeAll)");
      return session;
    };
    beforeAll(async () => {
      session = await openCheckSession(resolved);
      // Every backend before the first case: a case's timeout has no room for PGlite's first start.
      await session.started();
    }, BACKEND_START_TIMEOUT_MS + TEST_TIMEOUT_MARGIN_MS);
    afterAll(async () => {
      await session?.close();
    });

    for (const spec of caseSpecs(resolved)) {
      const title = caseTitle(spec);
      it(title, { timeout, concurrent }, async () => {
        const result = await limit(() => runCaseInSession(adapter, spec, resolved, openedSession()));
        if (!result.ok) throw new EvictionSafetyError(formatCaseResult(result), result);
      });
    }

    const probe = resolved.leakProbe;
    if (probe) {
      // A probe stops at its first failing call, which may take a kind call's bound.
      const probeTimeout = caseTimeoutMs(resolved) + KIND_CALL_TIMEOUT_MS + probe.keepAliveTimeoutMs;
      for (const { name: client } of resolved.kinds) {
        // Not concurrent: vitest runs it after the concurrent cases above, whose connections would count.
        it(`leak probe › ${client}`, { timeout: probeTimeout, concurrent: false }, async () => {
          const result = await runLeakProbe(adapter, resolved, openedSession(), client);
          if (!result.ok) throw new EvictionSafetyError(formatLeakProbe(result), result);
        });
      }
    }
  });
}

export type { EvictionSafetyOptions } from './options.js';
