import { harnessNow } from './harness-clock.js';
import type { CacheAdapter } from './adapter.js';
import { probeLeaks } from './leak-probe.js';
import { resolveOptions } from './options.js';
import type { CheckOptions, ResolvedOptions } from './options.js';
import type { CaseResult, LeakProbeResult, Report } from './report.js';
import { runCase } from './scenarios/run-case.js';
import type { CaseSpec } from './scenarios/run-case.js';
import { openSession } from './session.js';
import type { HarnessSession } from './session.js';

/** Every path × client × scenario the options select, in report order. */
export function caseSpecs(resolved: ResolvedOptions): CaseSpec[] {
  return resolved.paths.flatMap((path) =>
    resolved.kinds.flatMap((kind) => resolved.scenarios.map((scenario) => ({ path, kind, scenario }))),
  );
}

export function runCaseInSession<TCache>(
  adapter: CacheAdapter<TCache>,
  spec: CaseSpec,
  resolved: ResolvedOptions,
  session: HarnessSession,
): Promise<CaseResult> {
  return runCase(adapter, spec, {
    origin: session.server.origin,
    api: session.api,
    settle: resolved.settle,
    settleCapMs: resolved.settleCapMs,
  });
}

export async function runLeakProbes<TCache>(
  adapter: CacheAdapter<TCache>,
  resolved: ResolvedOptions,
  session: HarnessSession,
): Promise<LeakProbeResult[]> {
  const probe = resolved.leakProbe;
  if (!probe) return [];
  const results: LeakProbeResult[] = [];
  for (const kind of resolved.kinds) results.push(await probeLeaks(adapter, { ...probe, kind, capMs: resolved.settleCapMs }, session.server));
  return results;
}

/**
 * Hands real clients to the cache, evicts them by every path the adapter names while they are
 * in use, settles, and reports what broke and who closed what. Never throws for a misbehaving
 * cache; throws TypeError/RangeError for a misconfigured adapter or option.
 */
export async function checkEvictionSafety<TCache>(options: CheckOptions<TCache>): Promise<Report> {
  const started = harnessNow();
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`checkEvictionSafety needs an options object { cache, ... }, got ${String(options)}`);
  }
  const { cache: adapter, ...rest } = options;
  const resolved = resolveOptions(adapter, rest);
  const session = await openSession(resolved.api);
  try {
    const results: CaseResult[] = [];
    // One case at a time: a case's clients and timings never disturb another's.
    for (const spec of caseSpecs(resolved)) results.push(await runCaseInSession(adapter, spec, resolved, session));
    const leakProbe = await runLeakProbes(adapter, resolved, session);
    return {
      adapter: adapter.name,
      ok: results.every((result) => result.ok) && leakProbe.every((probe) => probe.ok),
      results,
      ...(resolved.leakProbe && { leakProbe }),
      durationMs: Math.round(harnessNow() - started),
    };
  } finally {
    await session.close();
  }
}
