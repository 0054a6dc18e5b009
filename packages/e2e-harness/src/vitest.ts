import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CacheAdapter } from './adapter.js';
import { caseSpecs, openCheckSession, runCaseInSession, runLeakProbe } from './check-eviction-safety.js';
import { BACKEND_START_TIMEOUT_MS, KIND_CALL_TIMEOUT_MS } from './kinds/running-kind.js';
import { resolveOptions } from './options.js';
import type { EvictionSafetyOptions, ResolvedOptions } from './options.js';
import { caseTitle, formatCaseResult, formatLeakProbe, pendingNote } from './report/format.js';
import type { CaseResult, LeakProbeResult } from './report/results.js';
import type { HarnessSession } from './session.js';

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
 * The longest a case may take: the evict call and the settle after it (cap, or the fixed sleep
 * after an evict that may itself take the cap), the shutdown (cap), and the clients' requests.
 */
export function caseTimeoutMs(resolved: Pick<ResolvedOptions, 'settle' | 'settleCapMs'>): number {
  const sleepMs = resolved.settle === 'track' ? 0 : resolved.settle.sleepMs;
  return 2 * resolved.settleCapMs + sleepMs + TEST_TIMEOUT_MARGIN_MS;
}

/**
 * Declares a `describe` block with one test per path × client × scenario (and one leak probe per
 * client when enabled). A bad adapter or option throws at collection time.
 */
export function describeEvictionSafety<TCache>(
  name: string,
  adapter: CacheAdapter<TCache>,
  options: EvictionSafetyOptions = {},
): void {
  const resolved = resolveOptions(adapter, options);
  const timeout = caseTimeoutMs(resolved);
  describe(name, () => {
    let session: HarnessSession | undefined;
    const openedSession = () => {
      if (!session) throw new Error("describeEvictionSafety: the kinds' backends did not start (see beforeAll)");
      return session;
    };
    beforeAll(async () => {
      session = await openCheckSession(resolved);
    }, BACKEND_START_TIMEOUT_MS + TEST_TIMEOUT_MARGIN_MS);
    afterAll(async () => {
      await session?.close();
    });

    for (const spec of caseSpecs(resolved)) {
      const title = caseTitle(spec);
      it(title, { timeout }, async () => {
        const result = await runCaseInSession(adapter, spec, resolved, openedSession());
        if (!result.ok) throw new EvictionSafetyError(formatCaseResult(result), result);
        // A green test may hide a close deferred past the cap: say so where the run is read.
        const note = pendingNote(result);
        if (note !== undefined) console.warn(`${name} > ${title}: ${note}`);
      });
    }

    const probe = resolved.leakProbe;
    if (probe) {
      // A probe stops at its first failing call, which may take a kind call's bound.
      const probeTimeout = timeout + KIND_CALL_TIMEOUT_MS + probe.keepAliveTimeoutMs;
      for (const { name: client } of resolved.kinds) {
        it(`leak probe › ${client}`, { timeout: probeTimeout }, async () => {
          const result = await runLeakProbe(adapter, resolved, openedSession(), client);
          if (!result.ok) throw new EvictionSafetyError(formatLeakProbe(result), result);
        });
      }
    }
  });
}

export type { EvictionSafetyOptions } from './options.js';
