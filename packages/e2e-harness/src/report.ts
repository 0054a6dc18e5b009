import type { EvictionPath } from './adapter.js';
import type { ObservedError } from './scenarios/classify-error.js';
import type { SettleOutcome } from './settle/settle.js';
import type { ObservedClose } from './tripwire/close-watch.js';

export type { ErrorKind, ObservedError } from './scenarios/classify-error.js';
export type { PendingResource, SettleEnd, SettleOutcome } from './settle/settle.js';
export type { ObservedClose } from './tripwire/close-watch.js';

/** What happens to the client under test around its eviction. */
export type ScenarioName =
  /** A streaming completion is in flight when the entry is evicted: it must finish with every chunk. */
  | 'stream-in-flight'
  /** The holder that kept the client sends a new request after eviction and settle. */
  | 'holder-request-after-eviction'
  /** A new client is set under the same key right after eviction; it must work after settle. */
  | 'reinsert-after-eviction';

export const SCENARIOS: readonly ScenarioName[] = [
  'stream-in-flight',
  'holder-request-after-eviction',
  'reinsert-after-eviction',
];

/** One path × client × scenario. */
export interface CaseResult {
  path: EvictionPath;
  client: string;
  scenario: ScenarioName;
  /** No error, no close of a held client before shutdown, and a shutdown that returned. */
  ok: boolean;
  /** What the held client's work failed with. */
  error?: ObservedError;
  /** The adapter's shutdown threw, or did not return within the settle cap. */
  shutdownError?: ObservedError;
  /** Closing calls on held clients, with their callers and evictions. */
  closes: ObservedClose[];
  settle: SettleOutcome;
  durationMs: number;
}

/** Sockets left open by evicted clients once their keep-alive elapsed. */
export interface LeakProbeResult {
  ok: boolean;
  client: string;
  path: EvictionPath;
  evictions: number;
  keepAliveTimeoutMs: number;
  /** Connections still open on the server that the probe's clients had opened. */
  openConnections: number;
  /** The probe's own use of the cache failed (evict or shutdown threw or did not return). */
  error?: ObservedError;
}

export interface Report {
  adapter: string;
  /** Every case passed and no leak was found. */
  ok: boolean;
  results: CaseResult[];
  leakProbe?: LeakProbeResult[];
  durationMs: number;
}

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
  return `${close.client}.${close.verb}() called ${cause}, from:\n${indent(close.stack)}`;
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
