/**
 * One full check of a correct cache over every built-in kind, in a process of its own so the
 * backends' start-up (PGlite's above all) is part of what is measured. Run by bench/kinds.ts;
 * prints one JSON line. It runs the built package (dist/), as users do: `pnpm bench` builds first.
 * Plain JavaScript, run by plain Node: under tsx's loader every module the check loads (the seven
 * kinds' SDKs) went through its hooks, about 3 s of CPU that was the bench's, not the harness's.
 */
import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import { BUILT_IN_KINDS, checkEvictionSafety, lruCacheAdapter } from '../dist/index.js';

const started = performance.now();
const cpuBefore = process.cpuUsage();
const loopBefore = performance.eventLoopUtilization();
const report = await checkEvictionSafety({ cache: lruCacheAdapter({ LRUCache, options: { max: 4 } }), clients: [...BUILT_IN_KINDS] });
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
// The main thread's busy time: the cases and the imports; PGlite runs on a thread of its own.
const mainThreadMs = performance.eventLoopUtilization(loopBefore).active;
const caseMsByKind = Object.fromEntries(
  BUILT_IN_KINDS.map((kind) => [kind, report.results.filter((result) => result.client === kind).reduce((sum, result) => sum + result.durationMs, 0)]),
);
console.log(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, mainThreadMs, cases: report.results.length, failed: report.results.filter((result) => !result.ok).length, caseMsByKind }));
