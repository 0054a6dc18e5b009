// `pnpm demo`: the seed incident, caught twice. Lints LiteLLM's regressed client cache and its fix
// with the plugin's recommended config, runs the e2e harness on both, and prints one table.
// Exits 0 only when every verdict is the expected one.
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EVICTION_PATHS, type CaseResult } from '@no-close-on-evict/e2e-harness';
import { checkVersion, lintVersion, SOURCE_DIR, VERSIONS, type Version } from './regression-gallery.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Row {
  version: string;
  check: string;
  verdict: string;
  detail: string;
}

const progress = (text: string) => process.stderr.write(text);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

async function lint(version: Version): Promise<{ rows: Row[]; caught: boolean }> {
  const messages = await lintVersion(version);
  const rows = messages.map((message) => ({
    version: version.name,
    check: 'lint',
    verdict: message.ruleId ? 'CAUGHT' : 'PARSE ERROR',
    detail: `${message.ruleId ?? 'parser'}, line ${message.line}: ${message.message}`,
  }));
  if (rows.length === 0) rows.push({ version: version.name, check: 'lint', verdict: 'clean', detail: 'no findings' });
  return { rows, caught: messages.length > 0 };
}

/** The first stack frame in the cache under test: "who closed it". */
function closerFrame(stack: string): string {
  const frame = stack.split('\n').find((line) => line.includes(SOURCE_DIR) || line.includes('/litellm-regression/'));
  const line = (frame ?? stack.split('\n')[0] ?? '').trim();
  // "at fn (file:line:col)" or "at file:line:col": keep the location, relative to the repo.
  const location = /\(([^)]+)\)$/.exec(line)?.[1] ?? line.replace(/^at\s+/, '');
  return location.replace(REPO_ROOT, '');
}

/** Why one scenario failed: the error its held client saw, or the close alone. */
function failureReason(results: CaseResult[]): string {
  const error = results.find((result) => result.error)?.error;
  return error ? (error.chain.at(-1) ?? error.kind) : 'its held client was closed';
}

function describeFailures(failed: CaseResult[]): string {
  const scenarios = [...new Set(failed.map((result) => result.scenario))];
  const parts = scenarios.map(
    (scenario) => `${scenario}: ${failureReason(failed.filter((result) => result.scenario === scenario))}`,
  );
  const close = failed.flatMap((result) => result.closes)[0];
  if (close) {
    const when = close.eviction ? `, ${close.eviction.msAfter} ms after the ${close.eviction.path} eviction` : '';
    parts.push(`who closed it: ${close.client}.${close.verb}() at ${closerFrame(close.stack)}${when}`);
  }
  return parts.join('\n');
}

async function runHarness(version: Version): Promise<{ rows: Row[]; caught: boolean[] }> {
  const rows: Row[] = [];
  const caught: boolean[] = [];
  for (const path of EVICTION_PATHS) {
    const started = performance.now();
    progress(`  harness › ${version.name} › ${path} … `);
    const report = await checkVersion(version, path);
    const failed = report.results.filter((result) => !result.ok);
    progress(`${report.ok ? 'pass' : 'CAUGHT'} (${report.results.length} cases, ${seconds(started)})\n`);
    caught.push(!report.ok);
    rows.push({
      version: version.name,
      check: `harness ${path}`,
      verdict: report.ok ? 'pass' : 'CAUGHT',
      detail: report.ok ? `${report.results.length} cases: streams finished, holders and re-inserts worked` : describeFailures(failed),
    });
  }
  return { rows, caught };
}

const DETAIL_WIDTH = 90;

/** Splits `text` into lines of at most DETAIL_WIDTH characters, at its newlines and spaces. */
function wrap(text: string): string[] {
  return text.split('\n').flatMap(wrapLine);
}

function wrapLine(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + word.length + 1 > DETAIL_WIDTH) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  return [...lines, current];
}

function printTable(rows: Row[]): void {
  const headers: Row = { version: 'version', check: 'check', verdict: 'verdict', detail: 'detail' };
  const columns = ['version', 'check', 'verdict'] as const;
  const width = (column: (typeof columns)[number]) => Math.max(...[headers, ...rows].map((row) => row[column].length));
  const cells = (row: Row) => columns.map((column) => row[column].padEnd(width(column))).join('  ');
  const blank = ' '.repeat(cells(headers).length);
  console.log(`${cells(headers)}  ${headers.detail}`);
  rows.forEach((row, index) => {
    if (index > 0 && rows[index - 1]?.version !== row.version) console.log('');
    wrap(row.detail).forEach((text, line) => console.log(`${line === 0 ? cells(row) : blank}  ${text}`));
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  console.log("LiteLLM's LLMClientCache in TypeScript: the regressed eviction hook (PR #21717) and the fix (PR #22926)\n");
  const rows: Row[] = [];
  const surprises: string[] = [];
  for (const version of VERSIONS) {
    progress(`  lint › ${version.name} (${relative(REPO_ROOT, SOURCE_DIR + version.file)}) … `);
    const linted = await lint(version);
    progress(`${linted.caught ? 'findings' : 'clean'}\n`);
    const harness = await runHarness(version);
    rows.push(...linted.rows, ...harness.rows);
    if (linted.caught !== version.expectCaught) surprises.push(`lint ${linted.caught ? 'flagged' : 'missed'} the ${version.name} cache`);
    harness.caught.forEach((caught, index) => {
      if (caught !== version.expectCaught) {
        surprises.push(`harness ${caught ? 'failed' : 'passed'} the ${version.name} cache on ${EVICTION_PATHS[index]}`);
      }
    });
  }
  console.log('');
  printTable(rows);
  console.log('');
  if (surprises.length > 0) {
    console.log(`Unexpected verdicts (${seconds(started)}):\n${surprises.map((s) => `  - ${s}`).join('\n')}`);
    return 1;
  }
  console.log(`As expected (${seconds(started)}): both tools catch the regressed cache on every path and pass the fix.`);
  return 0;
}

process.exitCode = await main();
