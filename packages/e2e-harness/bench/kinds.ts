/**
 * Figures for the client kinds (issue 11), run by `pnpm bench`:
 * - a full check of a correct cache (lru-cache without dispose) over every built-in kind, 5 paths
 *   × 7 kinds × 3 scenarios, each in a fresh process (backend start-up included), with per-kind
 *   case times; once more with no saved PGlite data directory (the first run on a machine: initdb);
 * - 20 repeated gallery runs over every kind: each kind closed on eviction synchronously, in a
 *   microtask and on a 50 ms timer (must fail every case) and never closed (must pass every case);
 *   prints how many outcomes differed from that.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_KINDS, checkEvictionSafety } from '../src/index.js';
import { anyClientClosingCache, galleryAdapter } from '../test/fixtures/gallery-cache.js';
import type { ScheduleName } from '../test/fixtures/gallery-cache.js';

const FULL_CHECK_RUNS = 5;
const GALLERY_RUNS = 20;
const child = fileURLToPath(new URL('full-check.mjs', import.meta.url));

interface FullCheck {
  wallMs: number;
  /** CPU time of the whole process during the check, every thread (other processes' load does not count). */
  cpuMs: number;
  /** The main thread's busy time during the check; PGlite runs on a thread of its own. */
  mainThreadMs: number;
  cases: number;
  failed: number;
  caseMsByKind: Record<string, number>;
}

function fullCheckInFreshProcess(env: NodeJS.ProcessEnv = process.env): Promise<FullCheck> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [child], { env, maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as FullCheck);
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const load = () => loadavg()[0]?.toFixed(1);
console.log(`Node ${process.version}, ${process.platform}/${process.arch}, load average ${load()} at the start\n`);

// The saved PGlite data directory exists after this run (its first start on this machine saves it).
const warmUp = await fullCheckInFreshProcess();
const runs: FullCheck[] = [];
for (let run = 0; run < FULL_CHECK_RUNS; run++) runs.push(await fullCheckInFreshProcess());
const emptyTmp = await mkdtemp(join(tmpdir(), 'no-close-on-evict-bench-'));
const firstOnMachine = await fullCheckInFreshProcess({ ...process.env, TMPDIR: emptyTmp });
await rm(emptyTmp, { recursive: true, force: true });

const middle = runs.find((run) => run.wallMs === median(runs.map((each) => each.wallMs))) ?? warmUp;
console.log(`Full check, correct cache, ${middle.cases} cases (5 paths × ${BUILT_IN_KINDS.length} kinds × 3 scenarios), each in a fresh process:`);
const range = (values: number[]) => `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}`;
console.log(`| run | wall time | CPU time, all threads | main thread busy | cases failed |`);
console.log(`|---|---|---|---|---|`);
const row = (label: string, run: FullCheck) =>
  `| ${label} | ${Math.round(run.wallMs)} ms | ${Math.round(run.cpuMs)} ms | ${Math.round(run.mainThreadMs)} ms | ${run.failed} |`;
console.log(row(`median of ${FULL_CHECK_RUNS} (saved PGlite data directory)`, middle));
console.log(
  `| range of ${FULL_CHECK_RUNS} | ${range(runs.map((run) => run.wallMs))} ms | ${range(runs.map((run) => run.cpuMs))} ms | ${range(runs.map((run) => run.mainThreadMs))} ms | |`,
);
console.log(row('first on a machine (PGlite runs initdb)', firstOnMachine));
console.log(`(load average ${load()} after these runs)`);
// Cases run concurrently (default concurrency: the CPU count), so their times overlap: summed per
// kind they say where the cases' time goes, not how much of the wall time they took.
console.log(`\nPer kind, the median run (its 15 cases' durations summed; cases run ${availableParallelism()} at a time, so they overlap):`);
console.log('| kind | 15 cases |');
console.log('|---|---|');
for (const [kind, ms] of Object.entries(middle.caseMsByKind)) console.log(`| ${kind} | ${ms} ms |`);

const SCHEDULES: ScheduleName[] = ['synchronous', 'queueMicrotask', 'setTimeout 50 ms'];
let outcomes = 0;
let flaky = 0;
const galleryStarted = performance.now();
for (let run = 0; run < GALLERY_RUNS; run++) {
  for (const schedule of SCHEDULES) {
    const report = await checkEvictionSafety({ cache: anyClientClosingCache(schedule), clients: [...BUILT_IN_KINDS], paths: ['delete'] });
    outcomes += report.results.length;
    flaky += report.results.filter((result) => result.ok || result.closes.length !== 1).length;
  }
  const report = await checkEvictionSafety({ cache: galleryAdapter('never closes', () => undefined), clients: [...BUILT_IN_KINDS] });
  outcomes += report.results.length;
  flaky += report.results.filter((result) => !result.ok).length;
}
console.log(
  `\nGallery over every kind, ${GALLERY_RUNS} runs: ${flaky} of ${outcomes} outcomes differed from the expected ` +
    `(closing caches caught, the never-closing cache passing), in ${Math.round((performance.now() - galleryStarted) / 1000)} s`,
);
