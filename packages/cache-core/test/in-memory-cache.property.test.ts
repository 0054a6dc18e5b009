import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvictionReason } from '../src/index.js';
import { CountingClient, recordingCache, recordingClientCache, settleAfter, type Eviction, type ManualClock, type RecordingCache } from './helpers.js';

type Op =
  | { kind: 'set'; key: string; value: number; ttlMs: number | undefined }
  | { kind: 'get' | 'has' | 'delete'; key: string }
  | { kind: 'clear' | 'evictExpired' }
  | { kind: 'advance'; ms: number };

interface ModelEntry {
  value: number;
  expiresAt: number;
  order: number;
}

/** The specification, written the slow and obvious way: linear scans, no heap. */
class CacheModel {
  readonly entries = new Map<string, ModelEntry>();
  readonly evictions: Eviction<number>[] = [];
  now = 0;
  #writes = 0;

  constructor(
    readonly maxSize: number,
    readonly defaultTtlMs: number,
  ) {}

  apply(op: Op): unknown {
    switch (op.kind) {
      case 'advance':
        this.now += op.ms;
        return undefined;
      case 'get':
        return this.#live(op.key)?.value;
      case 'has':
        return this.#live(op.key) !== undefined;
      case 'delete': {
        const entry = this.#live(op.key);
        if (entry === undefined) return false;
        this.entries.delete(op.key);
        this.#log(op.key, entry, 'delete');
        return true;
      }
      case 'clear': {
        const all = [...this.entries];
        this.entries.clear();
        for (const [key, entry] of all) this.#log(key, entry, 'clear');
        return undefined;
      }
      case 'evictExpired':
        return this.#removeExpired().length;
      case 'set':
        this.#set(op.key, op.value, op.ttlMs ?? this.defaultTtlMs);
        return undefined;
    }
  }

  #set(key: string, value: number, ttlMs: number): void {
    if (this.maxSize === 0) return;
    const fresh = { value, expiresAt: this.now + ttlMs, order: this.#writes++ };
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      this.entries.set(key, fresh);
      if (existing.expiresAt <= this.now) this.#log(key, existing, 'ttl');
      else if (existing.value !== value) this.#log(key, existing, 'overwrite');
      return;
    }
    if (this.entries.size >= this.maxSize) {
      this.#removeExpired();
      if (this.entries.size >= this.maxSize) {
        const [victimKey, victim] = this.#byExpiry()[0] as [string, ModelEntry];
        this.entries.delete(victimKey);
        this.entries.set(key, fresh);
        this.#log(victimKey, victim, 'size');
        return;
      }
    }
    this.entries.set(key, fresh);
  }

  #byExpiry(): [string, ModelEntry][] {
    return [...this.entries].sort(([, a], [, b]) => a.expiresAt - b.expiresAt || a.order - b.order);
  }

  #removeExpired(): [string, ModelEntry][] {
    const expired = this.#byExpiry().filter(([, entry]) => entry.expiresAt <= this.now);
    for (const [key] of expired) this.entries.delete(key);
    for (const [key, entry] of expired) this.#log(key, entry, 'ttl');
    return expired;
  }

  #live(key: string): ModelEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expiresAt > this.now) return entry;
    this.entries.delete(key);
    this.#log(key, entry, 'ttl');
    return undefined;
  }

  #log(key: string, entry: ModelEntry, reason: EvictionReason): void {
    this.evictions.push({ key, value: entry.value, reason });
  }
}

function opArbitrary(keyCount: number): fc.Arbitrary<Op> {
  const key = fc.integer({ min: 0, max: keyCount - 1 }).map((i) => `k${i}`);
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 3 }), ttlMs: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('get' as const, 'has' as const, 'delete' as const), key }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('clear' as const, 'evictExpired' as const) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 25 }) }) },
  );
}

type Subject = Pick<RecordingCache<CountingClient>, 'set' | 'get' | 'has' | 'delete' | 'clear' | 'evictExpired' | 'size' | 'evictions'>;
type MakeSubject = (options: { maxSize: number; defaultTtlMs: number }) => { cache: Subject; clock: ManualClock };

/**
 * Runs the same ops on the cache and the model; values are indexes into a pool of clients.
 * Returns the clients, for the caller to check that none was closed.
 */
function runAgainstModel(make: MakeSubject, maxSize: number, defaultTtlMs: number, ops: readonly Op[]): CountingClient[] {
  const clients = [0, 1, 2, 3].map((i) => new CountingClient(`client${i}`));
  const { cache, clock } = make({ maxSize, defaultTtlMs });
  const model = new CacheModel(maxSize, defaultTtlMs);
  const toIndex = (value: unknown) => (value instanceof CountingClient ? clients.indexOf(value) : value);
  const applyToCache = (op: Op): unknown => {
    switch (op.kind) {
      case 'advance':
        return clock.advance(op.ms);
      case 'set':
        return cache.set(op.key, clients[op.value] as CountingClient, op.ttlMs === undefined ? undefined : { ttlMs: op.ttlMs });
      case 'get':
        return toIndex(cache.get(op.key));
      case 'has':
        return cache.has(op.key);
      case 'delete':
        return cache.delete(op.key);
      case 'clear':
        return cache.clear();
      case 'evictExpired':
        return cache.evictExpired();
    }
  };
  for (const op of ops) {
    expect(applyToCache(op)).toBe(model.apply(op));
    expect(cache.size).toBe(model.entries.size);
    expect(cache.size).toBeLessThanOrEqual(maxSize);
  }
  expect(cache.evictions.map((e) => ({ ...e, value: clients.indexOf(e.value) }))).toEqual(model.evictions);
  // Whatever is left is exactly what the model holds, unexpired.
  for (const [key, entry] of model.entries) {
    const held = entry.expiresAt > model.now ? entry.value : undefined;
    expect(toIndex(cache.get(key))).toBe(held);
  }
  return clients;
}

const NO_CLOSES = [[], [], [], []];
const smallCases = () =>
  [fc.integer({ min: 0, max: 4 }), fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constant(Infinity)), fc.array(opArbitrary(6), { maxLength: 80, size: 'max' })] as const;
const largeCases = () =>
  [fc.integer({ min: 8, max: 120 }), fc.integer({ min: 1, max: 60 }), fc.array(opArbitrary(160), { minLength: 200, maxLength: 500, size: 'max' })] as const;

describe('InMemoryCache against a model', () => {
  const run = (maxSize: number, ttl: number, ops: readonly Op[]) => {
    const clients = runAgainstModel(recordingCache, maxSize, ttl, ops);
    expect(clients.map((client) => client.closes)).toEqual(NO_CLOSES);
  };

  it('small caches: size bound, TTL, eviction order, one hook call per removal with its reason, no closes', () => {
    fc.assert(fc.property(...smallCases(), run), { numRuns: 400 });
  });

  it('larger caches exercise a deeper heap', () => {
    fc.assert(fc.property(...largeCases(), run), { numRuns: 100 });
  });
});

describe('ClientCache against the same model', () => {
  // The hook subclass calls super.onEvict, so ClientCache's own eviction code runs; settling
  // exactly afterwards lets any close it deferred happen before the check.
  const run = async (maxSize: number, ttl: number, ops: readonly Op[]) => {
    const clients = await settleAfter(() => runAgainstModel(recordingClientCache, maxSize, ttl, ops));
    expect(clients.map((client) => client.closes)).toEqual(NO_CLOSES);
  };

  it('same behaviour, and no client is closed on any path, immediately or deferred', async () => {
    await fc.assert(fc.asyncProperty(...smallCases(), run), { numRuns: 200 });
  });

  it('larger caches', async () => {
    await fc.assert(fc.asyncProperty(...largeCases(), run), { numRuns: 40 });
  });
});
