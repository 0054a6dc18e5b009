/**
 * `pnpm bench`: InMemoryCache against lru-cache and @isaacs/ttlcache in one process, replaying
 * the same operation trace into each. Reports ops/s and ratios to the named peer of this run.
 */
import { Bench } from 'tinybench';
import { BARE_MAP, PEERS, type BenchCache, type Peer } from './peers.js';
import { clientCacheWorkload, expiryHeavyWorkload, scalingWorkload, type Workload } from './workloads.js';

const VALUE = {};

function prepared(peer: Peer, workload: Workload): BenchCache {
  const cache = peer.create(workload);
  for (const key of workload.prefill) cache.set(key, VALUE, undefined);
  return cache;
}

function replay(cache: BenchCache, workload: Workload): void {
  for (const op of workload.ops) {
    if (op.write) cache.set(op.key, VALUE, op.ttlMs);
    else cache.get(op.key);
  }
}

/** Rounds per workload: peers alternate, so a burst of load on a shared machine hits all of them. */
const ROUNDS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median over rounds of each peer's mean ops/s replaying the workload's trace. */
async function measure(workload: Workload, peers: readonly Peer[]): Promise<Map<string, number>> {
  const caches = new Map(peers.map((peer) => [peer.name, prepared(peer, workload)]));
  const samples = new Map<string, number[]>(peers.map((peer) => [peer.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ name: workload.name, time: 400, warmupTime: round === 0 ? 200 : 50 });
    for (const [name, cache] of caches) bench.add(name, () => replay(cache, workload));
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (!('throughput' in result)) throw new Error(`${workload.name} / ${task.name} did not complete: ${result.state}`);
      samples.get(task.name)?.push(result.throughput.mean * workload.ops.length);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

const mops = (opsPerSecond: number): string => (opsPerSecond / 1e6).toFixed(2);
const ratio = (value: number, base: number | undefined): string => (base === undefined ? '' : `${(value / base).toFixed(2)}x`);
const byName = (name: string): Peer => PEERS.find((peer) => peer.name === name) as Peer;

const EXACT = 'InMemoryCache (clock read every op)';
const LRU = 'lru-cache (ttl)';
const LRU_EXACT = 'lru-cache (ttl, ttlResolution 0)';

console.log(
  `node ${process.version}, ${process.platform}/${process.arch}; ${clientCacheWorkload().ops.length} ops per iteration; ` +
    `median of ${ROUNDS} rounds\n`,
);
console.log('| workload | cache | Mops/s | vs lru-cache (ttl) | vs lru-cache (ttlResolution 0) |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const workload of [clientCacheWorkload(), expiryHeavyWorkload()]) {
  const results = await measure(workload, PEERS);
  for (const [name, opsPerSecond] of results) {
    const exactPeer = name === EXACT || name === LRU_EXACT || name === LRU;
    console.log(
      `| ${workload.name} | ${name} | ${mops(opsPerSecond)} | ${ratio(opsPerSecond, results.get(LRU))} | ${exactPeer ? ratio(opsPerSecond, results.get(LRU_EXACT)) : ''} |`,
    );
  }
}

console.log('\nScaling: uniform access over 2n keys, n entries, 10% writes (every new key evicts)\n');
console.log('| entries | InMemoryCache Mops/s | vs its 1e3 | lru-cache (ttl) Mops/s | vs its 1e3 | bare Map Mops/s | vs its 1e3 | InMemoryCache / lru-cache |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const atThousand = new Map<string, number>();
for (const entries of [1e3, 1e4, 1e5, 1e6]) {
  const results = await measure(scalingWorkload(entries), [byName('InMemoryCache'), byName(LRU), BARE_MAP]);
  if (!atThousand.size) for (const [name, opsPerSecond] of results) atThousand.set(name, opsPerSecond);
  const columns = [...results].map(([name, opsPerSecond]) => `${mops(opsPerSecond)} | ${ratio(opsPerSecond, atThousand.get(name))}`);
  const ours = results.get('InMemoryCache') as number;
  console.log(`| ${entries.toExponential().replace('e+', 'e')} | ${columns.join(' | ')} | ${ratio(ours, results.get(LRU))} |`);
}
