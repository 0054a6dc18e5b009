/**
 * Figures for virtual time (issue 10), run by `pnpm bench`. Every figure is a wall time in this
 * process, printed with its ratio to a named peer measured in the same run:
 * - a full check (5 paths × 2 clients × 3 scenarios = 30 cases) of correct caches, against the
 *   peer approach (LiteLLM's tests: a fixed 0.15 s sleep after each eviction), sequential and at
 *   the default concurrency;
 * - how long closes deferred by 10 minutes and by an hour take to be caught (one case, and the
 *   full check), against the same check of a correct cache;
 * - a cache with idle timers (metrics and purge intervals, a re-arming sweep), against a correct
 *   cache without timers;
 * - what the fixed sleep makes of the 10-minute close (it misses it).
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import { checkEvictionSafety, clientCacheAdapter, lruCacheAdapter } from '../src/index.js';
import type { CheckOptions, EvictableClient, Report } from '../src/index.js';
import { galleryAdapter } from '../test/fixtures/gallery-cache.js';

const RUNS = 7;
const PEER_RUNS = 3;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LITELLM_SLEEP = { sleepMs: 150 };
const ONE_CASE = { paths: ['delete' as const], clients: ['undici-agent' as const], scenarios: ['stream-in-flight' as const] };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

interface Timed {
  ms: number;
  report: Report;
}

async function timeCheck<T>(options: CheckOptions<T>, runs = RUNS): Promise<Timed> {
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

const closeQuietly = (client: EvictableClient) => void Promise.resolve(client.close?.()).catch(() => undefined);
const closesAfter10Minutes = lruCacheAdapter({
  LRUCache,
  options: { max: 4, dispose: (client: EvictableClient) => void setTimeout(() => closeQuietly(client), 10 * MINUTE).unref() },
});
const closesBehindAnHour = galleryAdapter(
  'promise behind an unref 1 h timer',
  (client) => void new Promise((resolve) => setTimeout(resolve, HOUR).unref()).then(() => closeQuietly(client)),
);
const idleTimers = galleryAdapter(
  'idle timers',
  () => undefined,
  (owner) => owner.timers.forEach(clearTimeout),
  (owner) => {
    owner.timers.push(setInterval(() => undefined, 1000).unref());
    owner.timers.push(setInterval(() => owner.retired.splice(0), MINUTE).unref());
    const sweep = () => void owner.timers.push(setTimeout(sweep, 5000).unref());
    sweep();
  },
);
const neverCloses = galleryAdapter('never closes', () => undefined);

const rows: string[] = [];
const row = (what: string, how: string, timed: Timed, peer?: { name: string; timed: Timed }) => {
  const { results } = timed.report;
  const failed = results.filter((result) => !result.ok).length;
  const ratio = peer === undefined ? '' : `${(timed.ms / peer.timed.ms).toFixed(2)}× ${peer.name}`;
  rows.push(`| ${what} | ${how} | ${results.length} | ${failed} | ${Math.round(timed.ms)} ms | ${ratio} |`);
};

// Warm-up: module loading and the first sockets are not what is measured.
await checkEvictionSafety({ cache: clientCacheAdapter() });

const cores = availableParallelism();
console.log(`Node ${process.version}, ${process.platform}/${process.arch}, ${cores} cores, load average ${loadavg()[0]?.toFixed(1)} at the start\n`);

for (const [name, cache] of [
  ['cache-core ClientCache', clientCacheAdapter()],
  ['lru-cache, no dispose', lruCacheAdapter({ LRUCache, options: { max: 4 } })],
] as const) {
  const options = { cache } as CheckOptions<unknown>;
  const sequentialSleep = await timeCheck({ ...options, settle: LITELLM_SLEEP, concurrency: 1 }, PEER_RUNS);
  const concurrentSleep = await timeCheck({ ...options, settle: LITELLM_SLEEP }, PEER_RUNS);
  const sequential = await timeCheck({ ...options, concurrency: 1 });
  const concurrent = await timeCheck(options);
  const peer = { name: 'the fixed sleep, sequential', timed: sequentialSleep };
  row(`${name} (correct)`, `virtual time, concurrency ${cores}, median of ${RUNS}`, concurrent, peer);
  row(`${name} (correct)`, `virtual time, concurrency 1, median of ${RUNS}`, sequential, peer);
  row(`${name} (correct)`, `fixed 150 ms sleep, concurrency ${cores}, median of ${PEER_RUNS}`, concurrentSleep, peer);
  row(`${name} (correct)`, `fixed 150 ms sleep, concurrency 1, median of ${PEER_RUNS}`, sequentialSleep);
}

const correctOneCase = await timeCheck({ cache: neverCloses, ...ONE_CASE });
const correctFull = await timeCheck({ cache: neverCloses });
const oneCasePeer = { name: 'the correct cache, one case', timed: correctOneCase };
const fullPeer = { name: 'the correct cache, full check', timed: correctFull };
row('never closes (correct, peer)', `one case, median of ${RUNS}`, correctOneCase);
row('never closes (correct, peer)', `full check, median of ${RUNS}`, correctFull);
row('lru-cache, dispose closes 10 min later, unref (bad)', `one case, median of ${RUNS}`, await timeCheck({ cache: closesAfter10Minutes, ...ONE_CASE }), oneCasePeer);
row('lru-cache, dispose closes 10 min later, unref (bad)', `full check, median of ${RUNS}`, await timeCheck({ cache: closesAfter10Minutes }), fullPeer);
row('close behind a promise on an unref 1 h timer (bad)', `one case, median of ${RUNS}`, await timeCheck({ cache: closesBehindAnHour, ...ONE_CASE }), oneCasePeer);
row('close behind a promise on an unref 1 h timer (bad)', `full check, median of ${RUNS}`, await timeCheck({ cache: closesBehindAnHour }), fullPeer);
row('idle timers: 1 s metrics, 1 min purge, 5 s re-arming sweep (correct)', `full check, median of ${RUNS}`, await timeCheck({ cache: idleTimers }), fullPeer);
row('lru-cache, dispose closes 10 min later, unref (bad)', `fixed 150 ms sleep, concurrency 1, once`, await timeCheck({ cache: closesAfter10Minutes, settle: LITELLM_SLEEP, concurrency: 1 }, 1));

console.log('| cache | how | cases | failed | wall time | ratio |');
console.log('|---|---|---|---|---|---|');
console.log(rows.join('\n'));
console.log(`\n(load average ${loadavg()[0]?.toFixed(1)} at the end)`);
