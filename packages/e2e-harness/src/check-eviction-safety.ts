import { harnessNow } from './harness-clock.js';
import type { CacheAdapter } from './adapter.js';
import { probeLeaks } from './leak-probe.js';
import { resolveOptions } from './options.js';
import type { CheckOptions, ResolvedOptions } from './options.js';
import type { CaseResult, LeakProbeResult, Report } from './report/results.js';
import { runCase } from './scenarios/run-case.js';
import type { CaseSpec } from './scenarios/run-case.js';
import { openSession } from './session.js';
import type { HarnessSession } from './session.js';

/** Every path × client × scenario the options select, in report order. */
export function caseSpecs(resolved: ResolvedOptions): CaseSpec[] {
  return resolved.paths.flatMap((path) =>
    resolved.kinds.flatMap((kind) => resolved.scenarios.map((scenario) => ({ path, client: kind.name, scenario }))),
  );
}

/** Starts each kind's backend: once per check, shared by its cases. */
export function openCheckSession(resolved: ResolvedOptions): Promise<HarnessSession> {
  return openSession(resolved.kinds, resolved.api);
}

export function runCaseInSession<TCache>(
  adapter: CacheAdapter<TCache>,
  spec: CaseSpec,
  resolved: ResolvedOptions,
  session: HarnessSession,
): Promise<CaseResult> {
  return runCase(adapter, spec, {
    kind: session.kind(spec.client),
    settle: resolved.settle,
    settleCapMs: resolved.settleCapMs,
  });
}

/** The leak probe of one kind; `resolved.leakProbe` must be set. */
export function runLeakProbe<TCache>(
  adapter: CacheAdapter<TCache>,
  resolved: ResolvedOptions,
  session: HarnessSession,
  client: string,
): Promise<LeakProbeResult> {
  const probe = resolved.leakProbe;
  if (!probe) throw new Error('the leak probe is off');
  return probeLeaks(adapter, session.kind(client), { ...probe, capMs: resolved.settleCapMs });
}

async function runLeakProbes<TCache>(adapter: CacheAdapter<TCache>, resolved: ResolvedOptions, session: HarnessSession): Promise<LeakProbeResult[]> {
  if (!resolved.leakProbe) return [];
  const results: LeakProbeResult[] = [];
  for (const { name } of resolved.kinds) results.push(await runLeakProbe(adapter, resolved, session, name));
  return results;
}

/**
 * Hands real clients to the cache, evicts them by every path the adapter names while they are
 * in use, settles, and reports what broke and who closed what. Never throws for a misbehaving
 * cache; throws TypeError/RangeError for a misconfigured adapter, kind or option, and an Error
 * naming the packages to install for a built-in kind whose packages are missing.
 */
export async function checkEvictionSafety<TCache>(options: CheckOptions<TCache>): Promise<Report> {
  const started = harnessNow();
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`checkEvictionSafety needs an options object { cache, ... }, got ${String(options)}`);
  }
  const { cache: adapter, ...rest } = options;
  const resolved = resolveOptions(adapter, rest);
  const session = await openCheckSession(resolved);
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
