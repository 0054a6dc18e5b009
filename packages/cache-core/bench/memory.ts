/**
 * Memory per entry of one cache holding `n` entries, measured in a fresh process (run by
 * `bench/index.ts` with `--expose-gc`): the V8 heap plus memory outside it (typed arrays keep
 * their data there), after full GCs, before and after filling the cache. The keys and the one
 * shared value exist before the first reading, so only the cache's own structures are counted.
 */
import { IN_MEMORY_CACHE, LRU_CACHE } from './peers.js';
import { keyNames, type Workload } from './workloads.js';

const peers = { [IN_MEMORY_CACHE.name]: IN_MEMORY_CACHE, [LRU_CACHE.name]: LRU_CACHE };

export const MEMORY_PEERS: readonly string[] = Object.keys(peers);

function used(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) collect();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Bytes per entry of `peerName` filled with `entries` entries (1 h TTL, the same clock for both). */
export function bytesPerEntry(peerName: string, entries: number): number {
  const peer = peers[peerName];
  if (peer === undefined) throw new Error(`unknown peer ${peerName}`);
  const keys = keyNames(entries);
  const value = {};
  const clock = { now: 0 };
  const workload: Workload = { name: 'memory', maxSize: entries, defaultTtlMs: 3_600_000, ops: [], prefill: keys, msPerOp: 0 };
  const before = used();
  const cache = peer.create(workload, clock);
  for (const key of keys) cache.set(key, value, undefined);
  const after = used();
  if (cache.get(keys[0] as string) !== value) throw new Error(`${peerName} lost an entry`);
  return (after - before) / entries;
}

if (process.argv[1] === import.meta.filename) {
  const [peerName, entries] = process.argv.slice(2);
  console.log(JSON.stringify({ bytesPerEntry: bytesPerEntry(peerName as string, Number(entries)) }));
}
