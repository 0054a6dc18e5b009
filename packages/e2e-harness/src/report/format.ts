import type { CaseResult, LeakProbeResult, ObservedClose, ObservedError, Report } from './results.js';

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

function describeClose(close: ObservedClose): string {
  const { eviction } = close;
  const via = eviction?.via === 'cache-timer' ? ', by a task the cache scheduled before that eviction,' : '';
  const cause = eviction
    ? `${eviction.msAfter} ms after evicting '${eviction.key}' by ${eviction.path}${via}`
    : 'outside any eviction';
  const call = close.verb.startsWith('[') ? `${close.client}${close.verb}()` : `${close.client}.${close.verb}()`;
  return `${call} called ${cause}, from:\n${indent(close.stack)}`;
}

/** A multi-line explanation of one case: what failed, who closed what, what was pending. */
export function formatCaseResult(result: CaseResult): string {
  const lines = [`${result.ok ? '✓' : '✗'} ${caseTitle(result)}`];
  if (result.error) lines.push(`  ${describeError(result.error)}`);
  if (result.shutdownError) lines.push(`  shutdown failed, ${describeError(result.shutdownError)}`);
  for (const close of result.closes) lines.push(indent(describeClose(close), '  '));
  const { settle } = result;
  // After an observed close, what is left is mostly the close's own work: not worth printing.
  if (settle.pending.length > 0 && settle.ended !== 'close-observed') {
    const why = settle.ended === 'cap' ? 'the settle cap elapsed' : 'the harness stopped waiting';
    lines.push(`  still pending when ${why} (${settle.waitedMs} ms after eviction):`);
    for (const pending of settle.pending) {
      const delay = pending.delayMs === undefined ? '' : ` ${pending.delayMs} ms`;
      const where = pending.createdAt === '' ? '(Node internals only)' : pending.createdAt;
      lines.push(`    ${pending.type}${delay} created at:`, indent(where, '      '));
    }
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
 * For a passing case that left work pending: a close that work makes later is not checked, so
 * a green line must say so.
 */
export function pendingNote(result: CaseResult): string | undefined {
  const { pending } = result.settle;
  if (pending.length === 0) return undefined;
  const delays = pending.flatMap((each) => (each.delayMs === undefined ? [] : [each.delayMs]));
  const longest = delays.length > 0 ? ` (longest timer ${Math.max(...delays)} ms)` : '';
  return `${pending.length} task(s) still pending when the harness stopped waiting${longest}; a close they make is not checked, raise settleCapMs to cover them`;
}

function passingLine(result: CaseResult): string {
  const note = pendingNote(result);
  return `✓ ${caseTitle(result)}${note === undefined ? '' : ` — ${note}`}`;
}

/** The whole report; passing cases are listed on one line each, with a note on pending work. */
export function formatReport(report: Report): string {
  const failed = report.results.filter((result) => !result.ok).length;
  const header = `${report.adapter}: ${report.ok ? 'ok' : 'FAILED'} — ${report.results.length - failed}/${report.results.length} cases passed in ${report.durationMs} ms`;
  const body = report.results.map((result) => (result.ok ? passingLine(result) : formatCaseResult(result)));
  const probes = (report.leakProbe ?? []).map(formatLeakProbe);
  return [header, ...body, ...probes].join('\n');
}
