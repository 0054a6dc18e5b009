import type { CacheAdapter } from './adapter.js';
import { probeLeaks } from './leak-probe.js';
import { resolveOptions } from './options.js';
import type { CheckOptions, ResolvedOptions } from './options.js';
import type { CaseResult, LeakProbeResult, Report } from './report/results.js';
import { runCase } from './scenarios/run-case.js';
import type { CaseSpec } from './scenarios/run-case.js';
import { combinedError, openSession } from './session.js';
import type { HarnessSession } from './session.js';
import { verifyTimerInternals } from './settle/node-timers.js';
import { mapConcurrently } from './util/concurrency.js';
import { harnessNow } from './util/harness-clock.js';

/** Every path × client × scenario the options select, in report order. */
export function caseSpecs(resolved: ResolvedOptions): CaseSpec[] {
  return resolved.paths.flatMap((path) =>
    resolved.kinds.flatMap((kind) => resolved.scenarios.map((scenario) => ({ path, client: kind.name, scenario }))),
  );
}

/**
 * Checks once per process that this Node's timers can be brought forward (a TimerInternalsError
 * otherwise), then loads each kind and starts its backend: once per check, shared by its cases.
 */
export async function openCheckSession(resolved: ResolvedOptions): Promise<HarnessSession> {
  await verifyTimerInternals();
  return openSession(resolved.kinds, resolved.api);
}

export async function runCaseInSession<TCache>(
  adapter: CacheAdapter<TCache>,
  spec: CaseSpec,
  resolved: ResolvedOptions,
  session: HarnessSession,
): Promise<CaseResult> {
  return runCase(adapter, spec, { kind: await session.kind(spec.client), policy: resolved });
}

/** The leak probe of one kind; `resolved.leakProbe` must be set. */
export async function runLeakProbe<TCache>(
  adapter: CacheAdapter<TCache>,
  resolved: ResolvedOptions,
  session: HarnessSession,
  client: string,
): Promise<LeakProbeResult> {
  const probe = resolved.leakProbe;
  if (!probe) throw new Error('the leak probe is off');
  return probeLeaks(adapter, await session.kind(client), {
    ...probe,
    callTimeoutMs: resolved.callTimeoutMs,
    advanceBudgetMs: resolved.advanceBudgetMs,
    holderGraceMs: resolved.holderGraceMs,
  });
}

/**
 * Hands real clients to the cache, evicts them by every path the adapter names while they are
 * in use, runs every timer the cache armed in virtual time, and reports what broke and who
 * closed what, when. Cases run concurrently (`concurrency`); the report lists them in a fixed
 * order. Never throws for a misbehaving cache; throws TypeError/RangeError for a misconfigured
 * adapter, kind or option, and an Error naming the packages to install for a built-in kind whose
 * packages are missing.
 */
export async function checkEvictionSafety<TCache>(options: CheckOptions<TCache>): Promise<Report> {
  const started = harnessNow();
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`checkEvictionSafety needs an options object { cache, ... }, got ${String(options)}`);
  }
  const { cache: adapter, ...rest } = options;
  const resolved = resolveOptions(adapter, rest);
  const session = await openCheckSession(resolved);
  let report: Report;
  try {
    // Each case has its own cache, clients and virtual time: running them at once changes nothing
    // but the wall time. A kind's cases go as soon as its backend runs, while slower ones start.
    const results: CaseResult[] = await mapConcurrently(
      caseSpecs(resolved),
      resolved.concurrency,
      (spec) => runCaseInSession(adapter, spec, resolved, session),
      (spec) => session.kind(spec.client),
    );
    // After the cases: a probe counts its kind's backend connections, which a case would disturb.
    const leakProbe: LeakProbeResult[] = resolved.leakProbe
      ? await mapConcurrently(resolved.kinds, resolved.concurrency, ({ name }) => runLeakProbe(adapter, resolved, session, name))
      : [];
    report = {
      adapter: adapter.name,
      ok: results.every((result) => result.ok) && leakProbe.every((probe) => probe.ok),
      results,
      ...(resolved.leakProbe && { leakProbe }),
      durationMs: Math.round(harnessNow() - started),
    };
  } catch (error) {
    // Stopping the backends may fail too: neither error is dropped.
    const stopFailure = await session.close().then(
      () => [],
      (stopError: unknown) => [stopError],
    );
    throw combinedError([error, ...stopFailure]);
  }
  await session.close();
  return report;
}
