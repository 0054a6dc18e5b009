/**
 * Wall time of a full check (5 paths × 2 clients × 3 scenarios = 30 cases) of correct caches,
 * against the peer approach (LiteLLM's tests: a fixed 0.15 s sleep after each eviction), and the
 * time to catch a cache whose close is deferred by 300 ms. Run: pnpm bench.
 */
import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import { checkEvictionSafety, clientCacheAdapter, lruCacheAdapter } from '../src/index.js';
import type { CheckOptions, EvictableClient, Report } from '../src/index.js';

const RUNS = 7;
const PEER_RUNS = 3;
const LITELLM_SLEEP = { sleepMs: 150 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timeCheck<T>(options: CheckOptions<T>, runs: number): Promise<{ ms: number; report: Report }> {
  const times: number[] = [];
  let report: Report | undefined;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    report = await checkEvictionSafety(options);
    times.push(performance.now() - started);
  }
  if (!report) throw new Error('no run');
  return { ms: median(times), report };
}

const deferredDestroy = (client: EvictableClient) => void setTimeout(() => void client.destroy?.(), 300);

const rows: string[] = [];
const row = (what: string, settle: string, ms: number, report: Report, peerMs?: number) => {
  const failed = report.results.filter((result) => !result.ok).length;
  const ratio = peerMs === undefined ? '' : `${(peerMs / ms).toFixed(1)}× faster than the fixed sleep`;
  rows.push(`| ${what} | ${settle} | ${report.results.length} | ${failed} | ${Math.round(ms)} ms | ${ratio} |`);
};

// Warm-up: module loading and the first sockets are not what is measured.
await checkEvictionSafety({ cache: clientCacheAdapter() });

for (const [name, cache] of [
  ['cache-core ClientCache', clientCacheAdapter()],
  ['lru-cache, no dispose', lruCacheAdapter({ LRUCache, options: { max: 4 } })],
] as const) {
  const options = { cache } as CheckOptions<unknown>;
  const peer = await timeCheck({ ...options, settle: LITELLM_SLEEP }, PEER_RUNS);
  const tracked = await timeCheck(options, RUNS);
  row(`${name} (correct)`, `tracked, median of ${RUNS}`, tracked.ms, tracked.report, peer.ms);
  row(`${name} (correct)`, `fixed 150 ms sleep, median of ${PEER_RUNS}`, peer.ms, peer.report);
}

const regressed = lruCacheAdapter({ LRUCache, options: { max: 4, dispose: deferredDestroy } });
const caught = await timeCheck({ cache: regressed }, 1);
row('lru-cache, dispose destroys after 300 ms (bad)', 'tracked, cap 1000 ms', caught.ms, caught.report);
const missed = await timeCheck({ cache: regressed, settle: LITELLM_SLEEP }, 1);
row('lru-cache, dispose destroys after 300 ms (bad)', 'fixed 150 ms sleep', missed.ms, missed.report);

console.log(`Node ${process.version}, ${process.platform}/${process.arch}\n`);
console.log('| cache | settle | cases | failed | wall time | ratio |');
console.log('|---|---|---|---|---|---|');
console.log(rows.join('\n'));
