/**
 * `pnpm bench`: InMemoryCache against lru-cache (and @isaacs/ttlcache) in one process, replaying
 * the same operation trace into each; memory per entry in child processes; the cost of a lease.
 * Reports ratios to the named peer measured in the same run. Measures the built package (dist/),
 * what users run: tsx's transform of the sources adds a `__name` call to every arrow function a
 * class creates per instance, which would make each lease look ten times dearer than it is.
 */
import { execFileSync } from 'node:child_process';
import { Bench } from 'tinybench';
import { ClientCache } from '../dist/index.js';
import { MEMORY_PEERS } from './memory.js';
import {
  BARE_MAP,
  CLIENT_CACHE,
  IN_MEMORY_CACHE,
  IN_MEMORY_CACHE_EXACT,
  LRU_CACHE,
  LRU_CACHE_EXACT,
  TTL_CACHE,
  type BenchCache,
  type ManualClock,
  type Peer,
} from './peers.js';
import { clientCacheWorkload, expiryHeavyWorkload, keyNames, scalingWorkload, seededRandom, zipfSampler, type Workload } from './workloads.js';

const VALUE = {};
/** Rounds per measurement: peers alternate within a round, so a burst of load on a shared machine hits all of them. */
const ROUNDS = 5;

interface Prepared {
  cache: BenchCache;
  clock: ManualClock | undefined;
  hits: number;
}

function prepared(peer: Peer, workload: Workload, sameClock: boolean): Prepared {
  const clock = sameClock ? { now: 0 } : undefined;
  const cache = peer.create(workload, clock);
  for (const key of workload.prefill) cache.set(key, VALUE, undefined);
  return { cache, clock, hits: 0 };
}

function replay(run: Prepared, workload: Workload): void {
  const { cache, clock } = run;
  let hits = 0;
  for (const op of workload.ops) {
    if (clock !== undefined) clock.now += workload.msPerOp;
    if (op.write) cache.set(op.key, VALUE, op.ttlMs);
    else if (cache.get(op.key) !== undefined) hits++;
  }
  run.hits = hits;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Measured {
  opsPerSecond: number;
  /** Hits in the last replay of the trace. */
  hits: number;
}

/** Median over rounds of each peer's mean ops/s replaying the workload's trace. */
async function measure(workload: Workload, peers: readonly Peer[], sameClock: boolean): Promise<Map<string, Measured>> {
  const runs = new Map(peers.map((peer) => [peer.name, prepared(peer, workload, sameClock)]));
  const samples = new Map<string, number[]>(peers.map((peer) => [peer.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ name: workload.name, time: 300, warmupTime: round === 0 ? 200 : 50 });
    for (const [name, run] of runs) bench.add(name, () => replay(run, workload));
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (!('throughput' in result)) throw new Error(`${workload.name} / ${task.name} did not complete: ${result.state}`);
      samples.get(task.name)?.push(result.throughput.mean * workload.ops.length);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, { opsPerSecond: median(values), hits: runs.get(name)?.hits ?? 0 }]));
}

const mops = (opsPerSecond: number): string => (opsPerSecond / 1e6).toFixed(2);
const ratio = (value: number, base: number | undefined): string => (base === undefined ? '' : `${(value / base).toFixed(2)}x`);

console.log(`node ${process.version}, ${process.platform}/${process.arch}; ${clientCacheWorkload().ops.length} ops per iteration; median of ${ROUNDS} rounds\n`);

console.log('Throughput, each cache reading time its default way (ours: performance.now() once per synchronous run; lru-cache: ttlResolution 1)\n');
console.log('| workload | cache | Mops/s | vs lru-cache (ttl) | vs lru-cache (ttlResolution 0) |');
console.log('| --- | --- | ---: | ---: | ---: |');
{
  const workload = clientCacheWorkload();
  const results = await measure(workload, [IN_MEMORY_CACHE, CLIENT_CACHE, IN_MEMORY_CACHE_EXACT, LRU_CACHE, LRU_CACHE_EXACT, TTL_CACHE], false);
  const lru = results.get(LRU_CACHE.name)?.opsPerSecond;
  const lruExact = results.get(LRU_CACHE_EXACT.name)?.opsPerSecond;
  for (const [name, { opsPerSecond }] of results) {
    const exact = name === IN_MEMORY_CACHE_EXACT.name || name === LRU_CACHE_EXACT.name;
    console.log(`| ${workload.name} | ${name} | ${mops(opsPerSecond)} | ${ratio(opsPerSecond, lru)} | ${exact ? ratio(opsPerSecond, lruExact) : ''} |`);
  }
}

console.log('\nThroughput, both caches reading the same manual clock on every operation (lru-cache: perf: { now }, ttlResolution 0)\n');
console.log('| workload | cache | Mops/s | vs lru-cache | hits per 65,536 ops |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const workload of [clientCacheWorkload(), expiryHeavyWorkload()]) {
  const results = await measure(workload, [IN_MEMORY_CACHE, CLIENT_CACHE, LRU_CACHE], true);
  const lru = results.get(LRU_CACHE.name)?.opsPerSecond;
  for (const [name, { opsPerSecond, hits }] of results) {
    console.log(`| ${workload.name} | ${name} | ${mops(opsPerSecond)} | ${ratio(opsPerSecond, lru)} | ${hits.toLocaleString('en-US')} |`);
  }
}

console.log('\nMemory per entry after GC (V8 heap + external), one fresh process per cell\n');
console.log(`| entries | ${MEMORY_PEERS.map((name) => `${name} bytes/entry`).join(' | ')} | InMemoryCache / lru-cache |`);
console.log(`| ---: | ${MEMORY_PEERS.map(() => '---:').join(' | ')} | ---: |`);
for (const entries of [1e5, 1e6]) {
  const bytes = MEMORY_PEERS.map((name) => {
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL('memory.ts', import.meta.url).pathname, name, String(entries)], {
      encoding: 'utf8',
    });
    return (JSON.parse(output) as { bytesPerEntry: number }).bytesPerEntry;
  });
  const [ours, lru] = bytes as [number, number];
  console.log(`| ${entries.toExponential().replace('e+', 'e')} | ${bytes.map((value) => value.toFixed(1)).join(' | ')} | ${ratio(ours, lru)} |`);
}

console.log('\nLease + release per request: ClientCache, 200 cached clients, Zipf-skewed keys, every request a hit\n');
{
  const cache = new ClientCache<object>({ maxSize: 200 });
  const keys = keyNames(200);
  for (const key of keys) cache.getOrCreate(key, () => ({}));
  const random = seededRandom(4);
  const pick = zipfSampler(keys.length, 1, random);
  const trace = Array.from({ length: 4096 }, () => keys[pick()] as string);
  const unreachable = (): object => {
    throw new Error('every request is a hit');
  };
  const requests = {
    'getOrCreate (no lease)': () => {
      for (const key of trace) cache.getOrCreate(key, unreachable);
    },
    'lease + release': () => {
      for (const key of trace) cache.lease(key, unreachable).release();
    },
    'using lease = lease(...)': () => {
      for (const key of trace) {
        using lease = cache.lease(key, unreachable);
        void lease.client;
      }
    },
    'await withClient(...)': async () => {
      for (const key of trace) await cache.withClient(key, unreachable, (client) => client);
    },
  };
  const samples = new Map<string, number[]>(Object.keys(requests).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ name: 'leases', time: 200, warmupTime: round === 0 ? 200 : 50 });
    for (const [name, run] of Object.entries(requests)) bench.add(name, run);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (!('latency' in result)) throw new Error(`leases / ${task.name} did not complete: ${result.state}`);
      samples.get(task.name)?.push((result.latency.mean * 1e6) / trace.length);
    }
  }
  const nsPerRequest = new Map([...samples].map(([name, values]) => [name, median(values)]));
  const baseline = nsPerRequest.get('getOrCreate (no lease)') as number;
  console.log('| per request | ns | added to getOrCreate, ns |');
  console.log('| --- | ---: | ---: |');
  for (const [name, ns] of nsPerRequest) console.log(`| ${name} | ${ns.toFixed(0)} | ${name.startsWith('getOrCreate') ? '' : (ns - baseline).toFixed(0)} |`);
}

console.log('\nScaling: uniform access over 2n keys, n entries, 10% writes (every new key evicts), default clocks\n');
console.log('| entries | InMemoryCache Mops/s | vs its 1e3 | lru-cache (ttl) Mops/s | vs its 1e3 | bare Map Mops/s | vs its 1e3 | InMemoryCache / lru-cache |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const atThousand = new Map<string, number>();
for (const entries of [1e3, 1e4, 1e5, 1e6]) {
  const results = await measure(scalingWorkload(entries), [IN_MEMORY_CACHE, LRU_CACHE, BARE_MAP], false);
  if (!atThousand.size) for (const [name, { opsPerSecond }] of results) atThousand.set(name, opsPerSecond);
  const columns = [...results].map(([name, { opsPerSecond }]) => `${mops(opsPerSecond)} | ${ratio(opsPerSecond, atThousand.get(name))}`);
  const ours = results.get(IN_MEMORY_CACHE.name)?.opsPerSecond as number;
  console.log(`| ${entries.toExponential().replace('e+', 'e')} | ${columns.join(' | ')} | ${ratio(ours, results.get(LRU_CACHE.name)?.opsPerSecond)} |`);
}
