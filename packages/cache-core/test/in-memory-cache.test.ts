import { describe, expect, it } from 'vitest';
import { ClientCache, InMemoryCache, type EvictionReason } from '../src/index.js';
import { TestClock, recordingCache } from './helpers.js';

describe('InMemoryCache options', () => {
  it.each([
    [{ maxSize: -1 }, RangeError, /maxSize must be an integer from 0 to 16777216 \(the most entries a Map holds\), got -1/],
    [{ maxSize: 1.5 }, RangeError, /maxSize must be an integer .* got 1\.5/],
    [{ maxSize: Number.NaN }, RangeError, /maxSize .* got NaN/],
    [{ maxSize: Infinity }, RangeError, /maxSize .* got Infinity/],
    [{ maxSize: 2 ** 24 + 1 }, RangeError, /maxSize .* got 16777217/],
    [{ maxSize: '10' }, TypeError, /maxSize must be a number, got "10"/],
    [{ defaultTtlMs: Number.NaN }, RangeError, /defaultTtlMs must be a number of milliseconds >= 1 \(or Infinity\), got NaN/],
    [{ defaultTtlMs: -5 }, RangeError, /defaultTtlMs must be .* >= 1 .* got -5/],
    [{ defaultTtlMs: 0 }, RangeError, /defaultTtlMs must be .* >= 1 .* got 0/],
    [{ defaultTtlMs: 1e-14 }, RangeError, /defaultTtlMs must be .* >= 1 .* got 1e-14/],
    [{ defaultTtlMs: 0.5 }, RangeError, /defaultTtlMs must be .* >= 1 .* got 0\.5/],
    [{ defaultTtlMs: -Infinity }, RangeError, /defaultTtlMs must be .* got -Infinity/],
    [{ defaultTtlMs: null }, TypeError, /defaultTtlMs must be a number, got null/],
    [{ clock: 42 }, TypeError, /clock must be a function, got 42/],
    [{ clock: Date }, TypeError, /clock must return a number of milliseconds, got "/],
    [{ clock: () => undefined }, TypeError, /clock must return a number of milliseconds, got undefined/],
    [{ clock: () => Number.NaN }, RangeError, /clock returned NaN; it must return a finite number of milliseconds/],
    [{ clock: () => Infinity }, RangeError, /clock returned Infinity/],
    [{ clock: () => 2 ** 60 }, RangeError, /clock returned 1152921504606847000; .* within ±Number.MAX_SAFE_INTEGER/],
    [{ maxSize: [1] }, TypeError, /maxSize must be a number, got an array/],
    [{ maxSize: { n: 1 } }, TypeError, /maxSize must be a number, got an object/],
    [{ defaultTtlMs: Symbol('ttl') }, TypeError, /defaultTtlMs must be a number, got Symbol\(ttl\)/],
    [{ defaultTtlMs: 10n }, TypeError, /defaultTtlMs must be a number, got 10n/],
  ])('rejects %o', (options, errorType, message) => {
    expect(() => new InMemoryCache(options as never)).toThrow(errorType);
    expect(() => new InMemoryCache(options as never)).toThrow(message);
  });

  it.each([
    [5, /InMemoryCache options must be an object, got 5/],
    [[], /InMemoryCache options must be an object, got an array/],
    [[['maxSize', 1]], /InMemoryCache options must be an object, got an array/],
    [null, /InMemoryCache options must be an object, got null/],
  ])('rejects %o as the options argument', (options, message) => {
    expect(() => new InMemoryCache(options as never)).toThrow(TypeError);
    expect(() => new InMemoryCache(options as never)).toThrow(message);
  });

  it.each([
    [Number.NaN, RangeError, /ttlMs must be .* >= 1 .* got NaN/],
    [-1, RangeError, /ttlMs must be .* >= 1 .* got -1/],
    [1e-14, RangeError, /ttlMs must be .* >= 1 .* got 1e-14/],
    ['60', TypeError, /ttlMs must be a number, got "60"/],
  ])('set rejects ttlMs %s and stores nothing', (ttlMs, errorType, message) => {
    const cache = new InMemoryCache<string>();
    expect(() => cache.set('k', 'v', { ttlMs: ttlMs as number })).toThrow(errorType);
    expect(() => cache.set('k', 'v', { ttlMs: ttlMs as number })).toThrow(message);
    expect(cache.size).toBe(0);
  });

  it.each([
    ['a bare number (positional TTL)', 5, /set options must be an object such as \{ ttlMs: 5000 \}, got 5/],
    ['null', null, /set options must be an object .* got null/],
    ['an array', [5], /set options must be an object .* got an array/],
    ['a typo', { ttl: 5 }, /set options has unknown key\(s\) "ttl"; known: ttlMs/],
  ])('set rejects %s as options (TypeError) and stores nothing', (_name, options, message) => {
    const cache = new InMemoryCache<string>();
    expect(() => cache.set('k', 'v', options as never)).toThrow(TypeError);
    expect(() => cache.set('k', 'v', options as never)).toThrow(message);
    expect(cache.size).toBe(0);
  });

  it('set accepts no options, empty options and { ttlMs: undefined } as the default TTL', () => {
    const { cache, clock } = recordingCache<string>({ defaultTtlMs: 10 });
    cache.set('a', 'A');
    cache.set('b', 'B', {});
    cache.set('c', 'C', { ttlMs: undefined });
    cache.set('d', 'D', { ttlMs: 20 });
    clock.advance(10);
    expect(['a', 'b', 'c', 'd'].map((key) => cache.get(key))).toEqual([undefined, undefined, undefined, 'D']);
  });

  it.each<[new (options: never) => unknown, object, RegExp]>([
    [InMemoryCache, { defaultTTL: 5 }, /InMemoryCache options has unknown key\(s\) "defaultTTL"; known: maxSize, defaultTtlMs, clock$/],
    [InMemoryCache, { maxSize: 2, closeClient: () => undefined, ttl: 1 }, /InMemoryCache options has unknown key\(s\) "closeClient", "ttl"/],
    [ClientCache, { ttl: 5 }, /ClientCache options has unknown key\(s\) "ttl"; known: maxSize, defaultTtlMs, clock, closeClient, isClosed, closeEvicted$/],
  ])('%o rejects unknown option %o with a TypeError naming it', (Cache, options, message) => {
    expect(() => new Cache(options as never)).toThrow(TypeError);
    expect(() => new Cache(options as never)).toThrow(message);
  });

  it('accepts every documented option, and a subclass extends the accepted names', () => {
    expect(
      () =>
        new ClientCache({
          maxSize: 1,
          defaultTtlMs: 1,
          clock: () => 0,
          closeClient: () => undefined,
          isClosed: () => false,
          closeEvicted: 'when-released',
        }),
    ).not.toThrow();
    class Tagged extends InMemoryCache<string> {
      protected static override readonly optionNames: readonly string[] = ['maxSize', 'tag'];
      constructor({ tag, ...options }: { maxSize?: number; tag?: string } = {}) {
        super({ ...options, tag } as never);
      }
    }
    expect(() => new Tagged({ maxSize: 1, tag: 'metrics' })).not.toThrow();
    expect(() => new Tagged({ clock: () => 0 } as never)).toThrow(/Tagged options has unknown key\(s\) "clock"; known: maxSize, tag/);
  });

  it.each([undefined, 42, null, Symbol('k')])('rejects the non-string key %s (TypeError) on every keyed operation', (key) => {
    const { cache } = recordingCache<string>();
    for (const operation of [() => cache.set(key as never, 'v'), () => cache.get(key as never), () => cache.has(key as never), () => cache.delete(key as never)]) {
      expect(operation).toThrow(TypeError);
      expect(operation).toThrow(/key must be a string, got /);
    }
    expect(cache.size).toBe(0);
    cache.set('', 'empty string is a key'); // control: any string is fine
    expect(cache.get('')).toBe('empty string is a key');
  });

  it('accepts the smallest TTL, 1 ms, and the entry outlives a read at the same time', () => {
    const { cache, clock } = recordingCache<string>({ defaultTtlMs: 1 });
    clock.now = Number.MAX_SAFE_INTEGER - 1; // where a double still counts every millisecond
    cache.set('k', 'v');
    expect(cache.get('k')).toBe('v');
    clock.advance(1);
    expect(cache.get('k')).toBeUndefined();
  });

  it('maxSize 0 and the largest maxSize are accepted', () => {
    expect(new InMemoryCache<string>({ maxSize: 0 }).maxSize).toBe(0);
    expect(new InMemoryCache<string>({ maxSize: 2 ** 24 }).maxSize).toBe(2 ** 24);
  });

  it('defaults to 200 entries and a 10 minute TTL', () => {
    const { cache, clock } = recordingCache<number>({});
    expect(cache.maxSize).toBe(200);
    for (let i = 0; i < 201; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(200);
    expect(cache.evictions).toEqual([{ key: 'k0', value: 0, reason: 'size' }]);
    clock.advance(600_000 - 1);
    expect(cache.get('k1')).toBe(1);
    clock.advance(1);
    expect(cache.get('k1')).toBeUndefined();
  });

  it('uses performance.now by default, so TTLs run in real time', async () => {
    const cache = new InMemoryCache<string>({ defaultTtlMs: 20 });
    cache.set('k', 'v');
    expect(cache.get('k')).toBe('v');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(cache.get('k')).toBeUndefined();
  });
});

describe('InMemoryCache and its clock', () => {
  it.each([
    ['NaN', Number.NaN, RangeError, /clock returned NaN; it must return a finite number of milliseconds within ±Number.MAX_SAFE_INTEGER/],
    ['Infinity', Infinity, RangeError, /clock returned Infinity/],
    ['-Infinity', -Infinity, RangeError, /clock returned -Infinity/],
    ['a string', '12', TypeError, /clock must return a number of milliseconds, got "12"/],
    ['undefined', undefined, TypeError, /clock must return a number of milliseconds, got undefined/],
  ])('a clock that later returns %s fails the operation that read it, which changes nothing', (_name, reading, errorType, message) => {
    let now: unknown = 0;
    const { cache } = recordingCache<string>({ maxSize: 2, defaultTtlMs: 10, clock: () => now as number });
    cache.set('a', 'A');
    cache.set('b', 'B');
    now = reading;
    for (const operation of [() => cache.get('a'), () => cache.has('a'), () => cache.delete('a'), () => cache.set('c', 'C'), () => cache.set('a', 'A2'), () => cache.evictExpired()]) {
      expect(operation).toThrow(errorType);
      expect(operation).toThrow(message);
    }
    expect(cache.evictions).toEqual([]);
    now = 5; // a good reading again: nothing was lost
    expect([cache.get('a'), cache.get('b'), cache.size]).toEqual(['A', 'B', 2]);
  });

  it('a clock that runs backwards does not bring an entry back: time in the cache never runs backwards', () => {
    const { cache, clock } = recordingCache<string>({ defaultTtlMs: 10 });
    cache.set('k', 'v');
    clock.advance(10);
    cache.set('late', 'L'); // written at 10, expires at 20
    clock.now = 0; // the clock jumps back
    expect(cache.has('k')).toBe(false); // expired at 10, still expired
    cache.set('fresh', 'F'); // counts as written at 10: expires at 20
    clock.now = 19;
    expect([cache.get('late'), cache.get('fresh')]).toEqual(['L', 'F']);
    clock.now = 20;
    expect([cache.get('late'), cache.get('fresh')]).toEqual([undefined, undefined]);
  });

  it.each([
    ['0', 0],
    ['a negative reading', -1e15],
    ['a reading near the limit', Number.MAX_SAFE_INTEGER - 10],
  ])('defaultTtlMs Infinity keeps entries for ever with a clock at %s', (_name, start) => {
    const { cache, clock } = recordingCache<string>({ defaultTtlMs: Infinity, maxSize: 2 });
    clock.now = start;
    cache.set('forever', 'F');
    cache.set('short', 'S', { ttlMs: 1 });
    clock.now = Number.MAX_SAFE_INTEGER;
    expect(cache.get('forever')).toBe('F');
    cache.set('another', 'A'); // full: 'short' has expired and leaves first
    expect(cache.evictions.map((e) => [e.key, e.reason])).toEqual([['short', 'ttl']]);
    cache.set('third', 'T'); // full, nothing expired: the oldest of two never-expiring entries leaves
    expect(cache.evictions.at(-1)).toEqual({ key: 'forever', value: 'F', reason: 'size' });
  });
});

describe('InMemoryCache behaviour', () => {
  it('maxSize 0 disables caching and never calls the hook', () => {
    const { cache } = recordingCache<string>({ maxSize: 0 });
    cache.set('k', 'v');
    expect(cache.get('k')).toBeUndefined();
    expect(cache.has('k')).toBe(false);
    expect(cache.size).toBe(0);
    expect(cache.evictions).toEqual([]);
  });

  it('get does not refresh the TTL and removes an expired entry with reason ttl', () => {
    const { cache, clock } = recordingCache<string>({ defaultTtlMs: 100 });
    cache.set('k', 'v');
    clock.advance(60);
    expect(cache.get('k')).toBe('v');
    clock.advance(40);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.evictions).toEqual([{ key: 'k', value: 'v', reason: 'ttl' }]);
  });

  it('has and delete see an expired entry as gone and remove it with reason ttl', () => {
    const { cache, clock } = recordingCache<string>({ defaultTtlMs: 10 });
    cache.set('a', 'A');
    cache.set('b', 'B');
    clock.advance(10);
    expect(cache.has('a')).toBe(false);
    expect(cache.delete('b')).toBe(false);
    expect(cache.evictions.map((e) => [e.key, e.reason])).toEqual([
      ['a', 'ttl'],
      ['b', 'ttl'],
    ]);
  });

  it('delete removes a live entry with reason delete and reports whether it existed', () => {
    const { cache } = recordingCache<string>();
    cache.set('k', 'v');
    expect(cache.delete('k')).toBe(true);
    expect(cache.delete('k')).toBe(false);
    expect(cache.evictions).toEqual([{ key: 'k', value: 'v', reason: 'delete' }]);
  });

  it('per-entry ttlMs overrides the default', () => {
    const { cache, clock } = recordingCache<string>({ defaultTtlMs: 1000 });
    cache.set('short', 's', { ttlMs: 5 });
    cache.set('long', 'l');
    clock.advance(5);
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('long')).toBe('l');
  });

  it('when full, the soonest entry leaves: an expired one as ttl, and other expired entries stay until touched', () => {
    const { cache, clock } = recordingCache<string>({ maxSize: 3, defaultTtlMs: 100 });
    cache.set('a', 'A', { ttlMs: 10 });
    cache.set('b', 'B', { ttlMs: 20 });
    cache.set('c', 'C');
    clock.advance(20);
    cache.set('d', 'D');
    expect(cache.evictions).toEqual([{ key: 'a', value: 'A', reason: 'ttl' }]);
    expect(cache.size).toBe(3); // b has expired but nothing touched it yet
    expect([cache.get('c'), cache.get('d')]).toEqual(['C', 'D']);
    expect(cache.has('b')).toBe(false);
    expect(cache.evictions.at(-1)).toEqual({ key: 'b', value: 'B', reason: 'ttl' });
    expect(cache.size).toBe(2);
  });

  it('when full, an expired entry leaves before any live one, even one written earlier', () => {
    const { cache, clock } = recordingCache<string>({ maxSize: 2, defaultTtlMs: 100 });
    cache.set('live', 'L', { ttlMs: 1000 });
    cache.set('short', 'S', { ttlMs: 5 });
    clock.advance(5);
    cache.set('new', 'N');
    expect(cache.evictions).toEqual([{ key: 'short', value: 'S', reason: 'ttl' }]);
    expect(cache.get('live')).toBe('L');
  });

  it('when full with nothing expired, evicts the entry that expires soonest (reason size)', () => {
    const { cache } = recordingCache<string>({ maxSize: 3 });
    cache.set('a', 'A', { ttlMs: 300 });
    cache.set('b', 'B', { ttlMs: 100 });
    cache.set('c', 'C', { ttlMs: 200 });
    cache.get('b'); // reads do not protect an entry: this is not an LRU
    cache.set('d', 'D');
    expect(cache.evictions).toEqual([{ key: 'b', value: 'B', reason: 'size' }]);
    cache.set('e', 'E');
    expect(cache.evictions.at(-1)).toEqual({ key: 'c', value: 'C', reason: 'size' });
  });

  it('breaks expiry ties by write order: the oldest write leaves first', () => {
    const { cache } = recordingCache<number>({ maxSize: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.evictions).toEqual([{ key: 'a', value: 1, reason: 'size' }]);
  });

  it('overwriting with a different value fires overwrite; the same value fires nothing', () => {
    const { cache } = recordingCache<object>();
    const first = { id: 1 };
    const second = { id: 2 };
    cache.set('k', first);
    cache.set('k', first);
    expect(cache.evictions).toEqual([]);
    cache.set('k', second);
    expect(cache.evictions).toEqual([{ key: 'k', value: first, reason: 'overwrite' }]);
    expect(cache.get('k')).toBe(second);
    expect(cache.size).toBe(1);
  });

  it('overwriting an unexpired key takes the new TTL (unlike LiteLLM, which keeps the old expiry)', () => {
    const { cache, clock } = recordingCache<string>({ defaultTtlMs: 100 });
    cache.set('k', 'old');
    clock.advance(90);
    cache.set('k', 'new');
    clock.advance(50); // past the old expiry (100), before the new one (190)
    expect(cache.get('k')).toBe('new');
    cache.set('k', 'new', { ttlMs: 5 }); // a shorter TTL shortens it too
    clock.advance(5);
    expect(cache.get('k')).toBeUndefined();
  });

  it('an overwrite moves the entry in the eviction order', () => {
    const { cache } = recordingCache<string>({ maxSize: 2, defaultTtlMs: 100 });
    cache.set('a', 'A', { ttlMs: 10 });
    cache.set('b', 'B', { ttlMs: 50 });
    cache.set('a', 'A2', { ttlMs: 90 });
    cache.set('c', 'C');
    expect(cache.evictions.map((e) => [e.key, e.reason])).toEqual([
      ['a', 'overwrite'],
      ['b', 'size'],
    ]);
  });

  it('setting an expired key reports the old value as ttl, even when the value is the same', () => {
    const { cache, clock } = recordingCache<string>({ defaultTtlMs: 10 });
    cache.set('k', 'v');
    clock.advance(10);
    cache.set('k', 'v');
    expect(cache.evictions).toEqual([{ key: 'k', value: 'v', reason: 'ttl' }]);
    expect(cache.get('k')).toBe('v');
  });

  it('clear fires the hook once per entry with reason clear', () => {
    const { cache } = recordingCache<number>();
    cache.set('a', 1);
    cache.set('b', 2);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.evictions).toEqual([
      { key: 'a', value: 1, reason: 'clear' },
      { key: 'b', value: 2, reason: 'clear' },
    ]);
  });

  it('evictExpired removes only expired entries, soonest first, and returns how many', () => {
    const { cache, clock } = recordingCache<number>({ defaultTtlMs: 100 });
    cache.set('late', 3, { ttlMs: 30 });
    cache.set('early', 1, { ttlMs: 10 });
    cache.set('live', 9);
    expect(cache.evictExpired()).toBe(0);
    clock.advance(30);
    expect(cache.evictExpired()).toBe(2);
    expect(cache.evictions.map((e) => e.key)).toEqual(['early', 'late']);
    expect(cache.size).toBe(1);
  });

  it('size counts expired entries until something removes them', () => {
    const { cache, clock } = recordingCache<number>({ defaultTtlMs: 10 });
    cache.set('a', 1);
    clock.advance(10);
    expect(cache.size).toBe(1);
    cache.evictExpired();
    expect(cache.size).toBe(0);
  });

  it('removes plain values (strings, objects) normally', () => {
    const { cache } = recordingCache<unknown>({ maxSize: 1 });
    const dict = { model: 'gpt', temperature: 0 };
    cache.set('s', 'a string');
    cache.set('d', dict);
    expect(cache.get('s')).toBeUndefined();
    expect(cache.get('d')).toBe(dict);
    expect(cache.evictions).toEqual([{ key: 's', value: 'a string', reason: 'size' }]);
  });
});

describe('InMemoryCache eviction hook', () => {
  it('runs after the entry is gone, so the hook sees a consistent cache and may re-enter', () => {
    const seen: string[] = [];
    class Reentrant extends InMemoryCache<string> {
      protected override onEvict(key: string, value: string, reason: EvictionReason): void {
        seen.push(`${key}:${reason}:has=${this.has(key)}:size=${this.size}`);
        if (key === 'a') this.set('a-replacement', value);
      }
    }
    const cache = new Reentrant({ maxSize: 2 });
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C'); // evicts a; the hook re-enters and evicts b
    expect(seen).toEqual(['a:size:has=false:size=2', 'b:size:has=false:size=2']);
    expect(cache.get('a-replacement')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.size).toBe(2);
  });

  it('a throwing hook leaves the operation complete and the state consistent', () => {
    class Throwing extends InMemoryCache<number> {
      protected override onEvict(key: string): void {
        throw new Error(`hook failed for ${key}`);
      }
    }
    const clock = new TestClock();
    const cache = new Throwing({ maxSize: 2, clock: clock.read, defaultTtlMs: 10 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(() => cache.set('c', 3)).toThrow('hook failed for a');
    expect([cache.has('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([false, 2, 3, 2]);
    expect(() => cache.delete('b')).toThrow('hook failed for b');
    expect(cache.size).toBe(1);
    cache.set('d', 4);
    clock.advance(10);
    let thrown: unknown;
    try {
      cache.evictExpired();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AggregateError);
    expect((thrown as AggregateError).errors.map((e: Error) => e.message)).toEqual([
      'hook failed for c',
      'hook failed for d',
    ]);
    expect(cache.size).toBe(0);
    cache.set('e', 5);
    expect(cache.get('e')).toBe(5);
  });

  it('clear calls every hook even when one throws', () => {
    const calls: string[] = [];
    class FailsOnA extends InMemoryCache<number> {
      protected override onEvict(key: string): void {
        calls.push(key);
        if (key === 'a') throw new Error('boom');
      }
    }
    const cache = new FailsOnA();
    cache.set('a', 1);
    cache.set('b', 2);
    expect(() => cache.clear()).toThrow('boom');
    expect(calls).toEqual(['a', 'b']);
    expect(cache.size).toBe(0);
  });
});
