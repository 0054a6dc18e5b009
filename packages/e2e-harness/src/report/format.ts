import type { AllowedBy, CaseResult, LeakProbeResult, ObservedClose, ObservedError, PendingTimer, Report } from './results.js';

export function caseTitle(result: Pick<CaseResult, 'path' | 'client' | 'scenario'>): string {
  return `${result.path} › ${result.client} › ${result.scenario}`;
}

function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => prefix + line.trim())
    .join('\n');
}

function describeError(error: ObservedError): string {
  return `error (${error.kind}): ${error.chain.join(' ← ')}`;
}

const ALLOWED: Record<AllowedBy, string> = {
  'holder-grace': 'allowed: at or after holderGraceMs',
  'lease-released': 'allowed: after the holder released its lease',
};

function describeClose(close: ObservedClose): string {
  const { eviction, timer } = close;
  const call = close.verb.startsWith('[') ? `${close.client}${close.verb}()` : `${close.client}.${close.verb}()`;
  const verdict = close.allowedBy === undefined ? '' : ` (${ALLOWED[close.allowedBy]})`;
  if (eviction === undefined) return `${call} called outside any eviction${verdict}, from:\n${indent(close.stack)}`;
  const evicted = `'${eviction.key}' by ${eviction.path}`;
  if (timer === undefined) {
    const via = eviction.via === 'cache-call' ? ', by a call into the cache,' : '';
    return `${call} called ${eviction.msAfter} ms after evicting ${evicted}${via}${verdict}, from:\n${indent(close.stack)}`;
  }
  // The close's time is virtual: the timer was brought forward; say when it would have run.
  const timerKind = timer.repeats ? `an interval of ${timer.delayMs} ms` : `a timeout of ${timer.delayMs} ms`;
  const armed =
    eviction.via === 'eviction'
      ? 'armed by the eviction'
      : timer.armedMsAfter < 0
        ? 'armed before the eviction'
        : `armed ${timer.armedMsAfter} ms after the eviction`;
  return (
    `${call} closed ${eviction.msAfter} ms after eviction by a timer armed at:\n${indent(timer.armedAt)}\n` +
    `  (${timerKind}, ${armed} of ${evicted}${verdict}) called from:\n${indent(close.stack)}`
  );
}

function describePending(timer: PendingTimer): string {
  const what = timer.repeats ? `interval of ${timer.delayMs} ms` : `timer of ${timer.delayMs} ms`;
  const where = timer.armedAt === '' ? '(Node internals only)' : timer.armedAt;
  return `    ${what}, due ${timer.dueInMs} ms after eviction, ran ${timer.runs} time(s), left: ${timer.reason}; armed at:\n${indent(where, '      ')}`;
}

/** A multi-line explanation of one case: what failed, who closed what and when, what was left. */
export function formatCaseResult(result: CaseResult): string {
  const lines = [`${result.ok ? '✓' : '✗'} ${caseTitle(result)}`];
  if (result.error) lines.push(`  ${describeError(result.error)}`);
  if (result.shutdownError) lines.push(`  shutdown failed, ${describeError(result.shutdownError)}`);
  for (const close of result.closes) lines.push(indent(describeClose(close), '  '));
  const { settle } = result;
  // After a failing close, what is left is mostly the close's own work: not worth printing.
  if (settle.pending.length > 0 && settle.ended !== 'close-observed') {
    const why = settle.ended === 'budget' ? 'advanceBudgetMs ran out' : 'virtual time stopped';
    lines.push(`  cache timers still scheduled when ${why} (${settle.virtualMs} ms of virtual time after eviction):`);
    for (const timer of settle.pending) lines.push(describePending(timer));
  }
  return lines.join('\n');
}

export function formatLeakProbe(result: LeakProbeResult): string {
  const verdict = result.ok ? '✓' : '✗';
  const failure = result.error ? `\n  ${describeError(result.error)}` : '';
  return (
    `${verdict} leak probe › ${result.path} › ${result.client}: ${result.openConnections} connection(s) ` +
    `still open ${result.keepAliveTimeoutMs} ms keep-alive after ${result.evictions} evictions${failure}`
  );
}

/**
 * A passing case on one line, with the closes its policy allowed. Repeating work left past the
 * horizon or the run limit is not worth a note: it ran, and closed nothing. (A case whose virtual
 * time ran out of `advanceBudgetMs` does not pass.)
 */
function passingLine(result: CaseResult): string {
  const allowed = result.closes.filter((close) => close.allowedBy !== undefined);
  const notes = allowed.map((close) => `${close.client} closed ${close.eviction?.msAfter ?? 0} ms after eviction (${ALLOWED[close.allowedBy ?? 'holder-grace']})`);
  return `✓ ${caseTitle(result)}${notes.length === 0 ? '' : ` — ${notes.join('; ')}`}`;
}

/** The whole report; passing cases are listed on one line each, with a note on pending work. */
export function formatReport(report: Report): string {
  const failed = report.results.filter((result) => !result.ok).length;
  const header = `${report.adapter}: ${report.ok ? 'ok' : 'FAILED'} — ${report.results.length - failed}/${report.results.length} cases passed in ${report.durationMs} ms`;
  const body = report.results.map((result) => (result.ok ? passingLine(result) : formatCaseResult(result)));
  const probes = (report.leakProbe ?? []).map(formatLeakProbe);
  return [header, ...body, ...probes].join('\n');
}
