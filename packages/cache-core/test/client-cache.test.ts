import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { ClientCache, reportsClosed } from '../src/index.js';
import { EVICTION_PATHS, FakeClient, nextTurn, processProblemsDuring, recordingClientCache, type RecordingClientCache } from './helpers.js';

function setup(options: { maxSize?: number; defaultTtlMs?: number } = {}) {
  const { cache, clock } = recordingClientCache<FakeClient>(options);
  const create = (key: string) => new FakeClient(key);
  return { cache, clock, create };
}

const reasonsOf = (cache: RecordingClientCache<FakeClient>) => cache.evictions.map(({ key, reason }) => [key, reason]);

describe('ClientCache options', () => {
  it('defaults the TTL to one hour', () => {
    const { cache, clock, create } = setup();
    const client = cache.getOrCreate('k', create);
    clock.advance(3_600_000 - 1);
    expect(cache.get('k')).toBe(client);
    clock.advance(1);
    expect(cache.get('k')).toBeUndefined();
  });

  it.each([
    [{ closeClient: 'close' }, TypeError, /closeClient must be a function, got "close"/],
    [{ isClosed: true }, TypeError, /isClosed must be a function, got true/],
    [{ closeEvicted: 'never' }, TypeError, /closeEvicted must be 'at-shutdown' or 'when-released', got "never"/],
    [{ closeEvicted: 'when_released' }, TypeError, /closeEvicted must be .* got "when_released"/],
    [{ closeEvicted: true }, TypeError, /closeEvicted must be .* got true/],
    [{ maxSize: -3 }, RangeError, /maxSize must be an integer from 0 to 16777216 .* got -3/],
    [[], TypeError, /ClientCache options must be an object, got an array/],
  ])('rejects %o', (options, errorType, message) => {
    expect(() => new ClientCache(options as never)).toThrow(errorType);
    expect(() => new ClientCache(options as never)).toThrow(message);
  });

  it('getOrCreate rejects a non-function factory and a factory returning a non-object', () => {
    const cache = new ClientCache<FakeClient>();
    expect(() => cache.getOrCreate('k', undefined as never)).toThrow(/factory must be a function, got undefined/);
    expect(() => cache.getOrCreate('k', (() => 42) as never)).toThrow(/factory must return a client object, got 42/);
    expect(() => cache.getOrCreate(7 as never, () => new FakeClient())).toThrow(/key must be a string, got 7/);
    expect(cache.size).toBe(0);
  });
});

describe('ClientCache eviction never closes (the default, closeEvicted: at-shutdown)', () => {
  it.each(EVICTION_PATHS)('%s: the evicted client stays open, and closeAll closes it once', async (_name, evict, reason) => {
    const { cache, clock, create } = setup({ maxSize: 1, defaultTtlMs: 1000 });
    const victim = cache.getOrCreate('victim', create);
    evict(cache, clock);
    expect(reasonsOf(cache)).toContainEqual(['victim', reason]);
    expect(victim.closes).toEqual([]);
    await nextTurn();
    expect(victim.closes).toEqual([]);
    await cache.closeAll();
    expect(victim.closes).toEqual(['close']);
  });

  it('eviction is synchronous: it leaves no timer, handle or pending close behind', async () => {
    const { cache, create } = setup({ maxSize: 1 });
    const victim = cache.getOrCreate('victim', create);
    const before = process.getActiveResourcesInfo().sort();
    cache.getOrCreate('filler', create);
    expect(process.getActiveResourcesInfo().sort()).toEqual(before);
    await nextTurn();
    expect(victim.closeCalls).toBe(0);
  });
});

describe('ClientCache ownership and closeAll', () => {
  it('getOrCreate returns the cached client and builds once per key', () => {
    const { cache } = setup();
    let built = 0;
    const factory = (key: string) => (built++, new FakeClient(key));
    const first = cache.getOrCreate('k', factory);
    expect(cache.getOrCreate('k', factory)).toBe(first);
    expect(first.name).toBe('k');
    expect(built).toBe(1);
  });

  it('closeAll closes cached and evicted owned clients once, and caller-supplied ones never', async () => {
    const { cache, create } = setup({ maxSize: 2 });
    const evicted = cache.getOrCreate('a', create);
    const cached = cache.getOrCreate('b', create);
    const supplied = new FakeClient('supplied');
    cache.set('c', supplied); // evicts a
    expect(cache.has('a')).toBe(false);
    await nextTurn();
    expect(evicted.closeCalls).toBe(0);
    await cache.closeAll();
    expect([evicted.closeCalls, cached.closeCalls, supplied.closeCalls]).toEqual([1, 1, 0]);
    expect(cache.size).toBe(0);
    await cache.closeAll();
    expect([evicted.closeCalls, cached.closeCalls, supplied.closeCalls]).toEqual([1, 1, 0]);
  });

  it('a client created after closeAll is closed by the next closeAll', async () => {
    const { cache, create } = setup();
    const first = cache.getOrCreate('k', create);
    await cache.closeAll();
    const second = cache.getOrCreate('k', create);
    expect(second).not.toBe(first);
    await cache.closeAll();
    expect([first.closeCalls, second.closeCalls]).toEqual([1, 1]);
  });

  it('a client closeAll closed is owned again when a factory hands it out again', async () => {
    const { cache } = setup();
    const reopening = new FakeClient('reused'); // a client whose close can be undone, e.g. a pool
    const factory = () => ((reopening.closed = false), reopening);
    cache.getOrCreate('k', factory);
    await cache.closeAll();
    expect(cache.getOrCreate('k', factory)).toBe(reopening);
    await cache.closeAll();
    expect(reopening.closes).toEqual(['close', 'close']);
    // Control: handed back through set, it is the caller's and stays open.
    reopening.closed = false;
    cache.set('k', reopening);
    await cache.closeAll();
    expect(reopening.closes).toEqual(['close', 'close']);
  });

  it('the same client cached under two keys is owned once and closed once', async () => {
    const { cache } = setup({ maxSize: 4 });
    const shared = new FakeClient('shared');
    cache.getOrCreate('a', () => shared);
    cache.getOrCreate('b', () => shared);
    cache.set('alias', shared);
    cache.delete('a');
    await cache.closeAll();
    expect(shared.closes).toEqual(['close']);
  });

  it('with maxSize 0, every getOrCreate builds a client and closeAll still closes each', async () => {
    const { cache, create } = setup({ maxSize: 0 });
    const first = cache.getOrCreate('k', create);
    const second = cache.getOrCreate('k', create);
    expect(second).not.toBe(first);
    expect(cache.size).toBe(0);
    await cache.closeAll();
    expect([first.closeCalls, second.closeCalls]).toEqual([1, 1]);
  });

  it('closeAll reports a client the default closer cannot close instead of leaking it silently', async () => {
    const cache = new ClientCache<{ id: number }>();
    cache.getOrCreate('k', () => ({ id: 1 }));
    const error: unknown = await cache.closeAll().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(AggregateError);
    const [inner] = (error as AggregateError).errors as Error[];
    expect(inner?.message).toMatch(/^closing the client created for "k" failed: closeClient: an object has no close\(\)/);
    expect(inner?.cause).toBeInstanceOf(TypeError);
    expect((error as AggregateError).errors).toHaveLength(1);
  });

  it('uses the configured closeClient, e.g. to close the dispatcher behind an SDK client', async () => {
    const dispatcher = new FakeClient('dispatcher');
    const cache = new ClientCache<{ dispatcher: FakeClient }>({
      closeClient: (client) => client.dispatcher.close(),
      isClosed: (client) => client.dispatcher.closed,
    });
    cache.getOrCreate('k', () => ({ dispatcher }));
    await cache.closeAll();
    expect(dispatcher.closeCalls).toBe(1);
  });

  it('await using closes owned clients at scope exit', async () => {
    let client: FakeClient | undefined;
    {
      await using cache = new ClientCache<FakeClient>();
      client = cache.getOrCreate('k', (key) => new FakeClient(key));
      expect(client.closeCalls).toBe(0);
    }
    expect(client.closeCalls).toBe(1);
  });

  it('closeAll still closes owned clients when a subclass hook throws during its clear, and reports the throw', async () => {
    class ThrowingHook extends ClientCache<FakeClient> {
      protected override onEvict(): void {
        throw new Error('hook failed');
      }
    }
    const cache = new ThrowingHook();
    const client = cache.getOrCreate('k', (key) => new FakeClient(key));
    const error: unknown = await cache.closeAll().catch((reason: unknown) => reason);
    expect((error as AggregateError).errors.map((each: Error) => each.message)).toEqual(['hook failed']);
    expect(client.closeCalls).toBe(1);
    expect(cache.size).toBe(0);
  });

  it('a subclass hook that does not call super.onEvict cannot stop the bookkeeping', async () => {
    class SilentHook extends ClientCache<FakeClient> {
      protected override onEvict(): void {}
    }
    const cache = new SilentHook({ maxSize: 1, closeEvicted: 'when-released' });
    const lease = cache.lease('a', (key) => new FakeClient(key));
    cache.getOrCreate('b', (key) => new FakeClient(key)); // evicts a, still leased
    expect(lease.client.closeCalls).toBe(0);
    lease.release();
    expect(lease.client.closes).toEqual(['close']);
  });
});

describe('ClientCache never hands out a closed client', () => {
  it('drops a cached client that reports closed (reason delete) and getOrCreate builds a fresh one', () => {
    const { cache, create } = setup();
    const first = cache.getOrCreate('k', create);
    first.closed = true; // closed by someone else
    expect(cache.has('k')).toBe(false);
    expect(reasonsOf(cache)).toEqual([['k', 'delete']]);
    const second = cache.getOrCreate('k', create);
    expect(second).not.toBe(first);
    expect(cache.get('k')).toBe(second);
  });

  it('a hook tells a dropped closed client from a plain delete with reportsClosed, as the README shows', () => {
    const { cache, create } = setup();
    const closedElsewhere = cache.getOrCreate('a', create);
    cache.getOrCreate('b', create);
    closedElsewhere.closed = true;
    expect(cache.get('a')).toBeUndefined(); // dropped
    cache.delete('b'); // control: a plain delete of an open client
    expect(cache.evictions.map(({ key, value, reason }) => [key, reason, reportsClosed(value)])).toEqual([
      ['a', 'delete', true],
      ['b', 'delete', false],
    ]);
  });

  it('honours destroyed and a custom isClosed', () => {
    const destroyedCache = new ClientCache<{ destroyed: boolean }>();
    destroyedCache.set('k', { destroyed: true });
    expect(destroyedCache.get('k')).toBeUndefined();

    const custom = new ClientCache<{ state: string }>({ isClosed: (client) => client.state === 'shut' });
    const client = { state: 'open' };
    custom.set('k', client);
    expect(custom.get('k')).toBe(client);
    client.state = 'shut';
    expect(custom.getOrCreate('k', () => ({ state: 'open' }))).not.toBe(client);
  });

  it('a factory that returns a client already closed is an error: nothing is cached, owned or handed out', async () => {
    const cache = new ClientCache<FakeClient>();
    const closed = Object.assign(new FakeClient('closed'), { closed: true });
    expect(() => cache.getOrCreate('k', () => closed)).toThrow(/factory returned a client that is already closed, for key "k"/);
    expect(() => cache.lease('k', () => closed)).toThrow(/already closed/);
    await expect(cache.withClient('k', () => closed, () => 'used')).rejects.toThrow(/already closed/);
    expect(cache.size).toBe(0);
    await cache.closeAll();
    expect(closed.closes).toEqual([]);
    // Control: an open client from the same factory shape is fine.
    expect(cache.getOrCreate('k', () => new FakeClient('open')).name).toBe('open');
  });

  it('a factory that returns a client this cache is still closing is an error', async () => {
    const cache = new ClientCache<FakeClient>({ closeEvicted: 'when-released' });
    const client = Object.assign(new FakeClient('slow'), { closeBehaviour: 'hang' as const });
    cache.lease('k', () => client).release(); // cached: not closed yet
    cache.delete('k'); // evicted with no lease: its close starts and hangs
    expect(client.closes).toEqual(['close']);
    expect(() => cache.getOrCreate('k', () => client)).toThrow(/factory returned a client this cache is still closing, for key "k"/);
    expect(() => cache.set('k', client)).toThrow(/set: the client created for "k" is being closed by this cache/);
    client.finishClose();
    await cache.closeAll();
  });

  it('closeAll skips an owned client that is already closed', async () => {
    const { cache, create } = setup({ maxSize: 1 });
    const client = cache.getOrCreate('a', create);
    cache.getOrCreate('b', create);
    client.closed = true;
    await cache.closeAll();
    expect(client.closeCalls).toBe(0);
  });
});

describe('ClientCache holds evicted owned clients weakly', () => {
  it('an evicted owned client can be garbage-collected', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    const { vm, v8 } = { vm: await import('node:vm'), v8: await import('node:v8') };
    v8.setFlagsFromString('--expose-gc');
    const collect = gc ?? (vm.runInNewContext('gc') as () => void);
    const cache = new ClientCache<FakeClient>({ maxSize: 1 }); // not recording: that would hold the client
    let ref: WeakRef<FakeClient> | undefined;
    (() => {
      ref = new WeakRef(cache.getOrCreate('a', (key) => new FakeClient(key)));
    })();
    let cachedRef: WeakRef<FakeClient> | undefined;
    (() => {
      cachedRef = new WeakRef(cache.getOrCreate('b', (key) => new FakeClient(key))); // evicts a
    })();
    for (let i = 0; i < 10 && ref?.deref() !== undefined; i++) {
      await nextTurn();
      collect();
    }
    expect(ref?.deref()).toBeUndefined();
    expect(cachedRef?.deref()).toBeInstanceOf(FakeClient); // control: the cache holds b strongly
    await cache.closeAll();
    expect(cachedRef?.deref()?.closes).toEqual(['close']);
  });
});

describe("LiteLLM's unit tests, ported", () => {
  /** Counts calls of every method that could close the client, sync or async. */
  function closeSpy() {
    const calls: string[] = [];
    return {
      calls,
      asyncClient: { aclose: async () => void calls.push('aclose'), close: async () => void calls.push('close') },
      syncClient: { close: () => void calls.push('close'), destroy: () => void calls.push('destroy') },
    };
  }

  it.each([
    ['an async client (aclose)', 'asyncClient'],
    ['a sync client (close)', 'syncClient'],
  ] as const)('evicting %s does not close it', async (_label, kind) => {
    const spy = closeSpy();
    const cache = new ClientCache<object>({ maxSize: 1 });
    cache.getOrCreate('client', () => spy[kind]);
    cache.getOrCreate('filler', () => ({ close() {} }));
    await nextTurn();
    expect(spy.calls).toEqual([]);
  });

  it('size eviction of real undici Agents closes nothing and raises no warning or unhandled rejection', async () => {
    const { calls, asyncClient, syncClient } = closeSpy();
    const agents: Agent[] = [];
    const cache = new ClientCache<object>({ maxSize: 2 });
    const problems = await processProblemsDuring(async () => {
      cache.getOrCreate('async', () => asyncClient);
      cache.getOrCreate('sync', () => syncClient);
      for (let i = 0; i < 10; i++) agents.push(cache.getOrCreate(`agent${i}`, () => new Agent()) as Agent);
      await nextTurn();
    });
    expect(calls).toEqual([]);
    expect(problems).toEqual([]);
    expect(agents.map((agent) => agent.closed || agent.destroyed)).toEqual(Array.from({ length: 10 }, () => false));
    await cache.closeAll();
    expect(agents.every((agent) => agent.closed)).toBe(true);
  });

  it('removal works from plain synchronous code, with nothing left scheduled', () => {
    const { calls, asyncClient } = closeSpy();
    const cache = new ClientCache<object>({ maxSize: 1, clock: () => 0 });
    cache.getOrCreate('async', () => asyncClient);
    const before = process.getActiveResourcesInfo().sort();
    expect(cache.delete('async')).toBe(true);
    expect(process.getActiveResourcesInfo().sort()).toEqual(before);
    expect(calls).toEqual([]);
  });

  it('plain values (dicts) are removed normally', () => {
    const cache = new ClientCache<Record<string, string>>({ maxSize: 1 });
    const dict = { model: 'gpt-4o' };
    cache.set('a', dict);
    cache.set('b', { model: 'other' });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describe('ClientCache factory failures', () => {
  it('a throwing factory caches nothing and owns nothing', async () => {
    const cache = new ClientCache<FakeClient>();
    expect(() =>
      cache.getOrCreate('k', () => {
        throw new Error('cannot connect');
      }),
    ).toThrow('cannot connect');
    expect(cache.size).toBe(0);
    await expect(cache.closeAll()).resolves.toBeUndefined();
  });
});
