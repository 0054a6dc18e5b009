/** Deterministic operation traces, generated once and replayed identically against every cache. */

export interface Op {
  readonly write: boolean;
  readonly key: string;
  /** Per-entry TTL for writes, or undefined for the cache default. */
  readonly ttlMs: number | undefined;
}

/** mulberry32: a tiny seeded PRNG, so every run replays the same trace. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks index i in [0, n) with probability proportional to 1 / (i + 1)^s (Zipf). */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += 1 / (i + 1) ** s;
  return () => {
    const target = random() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] as number) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

export interface Workload {
  readonly name: string;
  readonly maxSize: number;
  readonly defaultTtlMs: number;
  readonly ops: readonly Op[];
  /** Keys to insert before measuring, so the cache starts full. */
  readonly prefill: readonly string[];
  /**
   * How far a manual clock moves per operation, for runs in which every cache reads the same
   * manual clock (lru-cache through `perf` with `ttlResolution: 0`): then expiry depends on the
   * trace alone, and both caches see exactly the same time.
   */
  readonly msPerOp: number;
}

export function keyNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `client:${i}`);
}

/** LiteLLM's case: 200 clients, 400 distinct keys, Zipf-skewed access, 10% writes, 1 h TTL. */
export function clientCacheWorkload(opCount = 1 << 16): Workload {
  const random = seededRandom(1);
  const keys = keyNames(400);
  const pick = zipfSampler(keys.length, 1, random);
  const ops = Array.from({ length: opCount }, (): Op => ({ write: random() < 0.1, key: keys[pick()] as string, ttlMs: undefined }));
  // 5 µs per operation: no entry expires within the trace's few hundred milliseconds.
  return { name: 'client-cache', maxSize: 200, defaultTtlMs: 3_600_000, ops, prefill: keys.slice(0, 200), msPerOp: 1 / 200 };
}

/**
 * Short TTLs from a small set (1–20 ms, as a service with a handful of TTL classes has), 50%
 * writes, uniform access over twice as many keys as fit: entries expire constantly, and a full
 * cache also evicts by size. The clock moves 1/2048 ms per operation, so an entry lives for
 * 2,048–40,960 operations: about the pace at which this workload ran in real time.
 */
export function expiryHeavyWorkload(opCount = 1 << 16): Workload {
  const random = seededRandom(2);
  const keys = keyNames(20_000);
  const ops = Array.from({ length: opCount }, (): Op => {
    const write = random() < 0.5;
    return { write, key: keys[Math.floor(random() * keys.length)] as string, ttlMs: write ? 1 + Math.floor(random() * 20) : undefined };
  });
  return { name: 'expiry-heavy', maxSize: 10_000, defaultTtlMs: 20, ops, prefill: keys.slice(0, 10_000), msPerOp: 1 / 2048 };
}

/** Uniform access over 2n keys with n entries, 10% writes: every write of a new key evicts. */
export function scalingWorkload(entries: number, opCount = 1 << 16): Workload {
  const random = seededRandom(3);
  const keys = keyNames(entries * 2);
  const ops = Array.from({ length: opCount }, (): Op => ({
    write: random() < 0.1,
    key: keys[Math.floor(random() * keys.length)] as string,
    ttlMs: undefined,
  }));
  return { name: `scaling-${entries}`, maxSize: entries, defaultTtlMs: 3_600_000, ops, prefill: keys.slice(0, entries), msPerOp: 1 / 200 };
}
