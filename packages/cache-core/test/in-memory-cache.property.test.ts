import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CacheModel, type Op } from './cache-model.js';
import { FakeClient, recordingCache, recordingClientCache, type RecordingCache, type TestClock } from './helpers.js';
import { PROPERTY_SEED } from './property-seed.js';

function opArbitrary(keyCount: number): fc.Arbitrary<Op> {
  const key = fc.integer({ min: 0, max: keyCount - 1 }).map((i) => `k${i}`);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('set' as const),
        key,
        value: fc.integer({ min: 0, max: 3 }),
        // Few distinct TTLs, so entries share expiry lists and expiries tie across lists.
        ttlMs: fc.option(fc.integer({ min: 1, max: 12 }).map((n) => n * 5), { nil: undefined }),
      }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('get' as const, 'has' as const, 'delete' as const), key }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('clear' as const, 'evictExpired' as const) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 25 }) }) },
  );
}

type Subject = Pick<RecordingCache<FakeClient>, 'set' | 'get' | 'has' | 'delete' | 'clear' | 'evictExpired' | 'size' | 'evictions'>;
type MakeSubject = (options: { maxSize: number; defaultTtlMs: number }) => { cache: Subject; clock: TestClock };

/**
 * Runs the same ops on the cache and the model; values are indexes into a pool of clients.
 * Returns the clients, for the caller to check that none was closed.
 */
function runAgainstModel(make: MakeSubject, maxSize: number, defaultTtlMs: number, ops: readonly Op[]): FakeClient[] {
  const clients = [0, 1, 2, 3].map((i) => new FakeClient(`client${i}`));
  const { cache, clock } = make({ maxSize, defaultTtlMs });
  const model = new CacheModel(maxSize, defaultTtlMs);
  const toIndex = (value: unknown) => (value instanceof FakeClient ? clients.indexOf(value) : value);
  const applyToCache = (op: Op): unknown => {
    switch (op.kind) {
      case 'advance':
        return clock.advance(op.ms);
      case 'set':
        return cache.set(op.key, clients[op.value] as FakeClient, op.ttlMs === undefined ? undefined : { ttlMs: op.ttlMs });
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
  // Plain checks in the loop: `expect` per step would dominate the run time.
  for (const [step, op] of ops.entries()) {
    const got = applyToCache(op);
    const wanted = model.apply(op);
    if (!Object.is(got, wanted)) throw new Error(`step ${step} ${JSON.stringify(op)}: returned ${String(got)}, model ${String(wanted)}`);
    if (cache.size !== model.entries.size || cache.size > maxSize) {
      throw new Error(`step ${step} ${JSON.stringify(op)}: size ${cache.size}, model ${model.entries.size}, maxSize ${maxSize}`);
    }
  }
  expect(cache.evictions.map((e) => ({ ...e, value: clients.indexOf(e.value) }))).toEqual(model.evictions);
  // Whatever is left is exactly what the model holds, unexpired.
  for (const [key, entry] of model.entries) {
    const held = entry.expiresAt > model.now ? entry.value : undefined;
    expect(toIndex(cache.get(key))).toBe(held);
  }
  return clients;
}

const smallCases = () =>
  [fc.integer({ min: 0, max: 4 }), fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constant(Infinity)), fc.array(opArbitrary(6), { maxLength: 80, size: 'max' })] as const;
const largeCases = () =>
  [fc.integer({ min: 8, max: 120 }), fc.integer({ min: 1, max: 60 }), fc.array(opArbitrary(160), { minLength: 200, maxLength: 500, size: 'max' })] as const;

describe('InMemoryCache against a model', () => {
  const run = (maxSize: number, ttl: number, ops: readonly Op[]) => {
    runAgainstModel(recordingCache, maxSize, ttl, ops);
  };

  it('small caches: size bound, TTL, eviction order, one hook call per removal with its reason', () => {
    fc.assert(fc.property(...smallCases(), run), { numRuns: 250, seed: PROPERTY_SEED });
  });

  it('larger caches, with many entries per expiry list', () => {
    fc.assert(fc.property(...largeCases(), run), { numRuns: 40, seed: PROPERTY_SEED });
  });

  it('ClientCache behaves the same with caller-supplied values, and closes none of them', () => {
    fc.assert(
      fc.property(...smallCases(), (maxSize, ttl, ops) => {
        const clients = runAgainstModel(recordingClientCache, maxSize, ttl, ops);
        expect(clients.map((client) => client.closes)).toEqual([[], [], [], []]);
      }),
      { numRuns: 100, seed: PROPERTY_SEED },
    );
  });
});
