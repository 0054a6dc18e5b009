import { describe, expect, it } from 'vitest';
import { ClientCache, type ClientCacheOptions } from '../src/index.js';
import { EVICTION_PATHS, FakeClient, nextTurn, recordingClientCache } from './helpers.js';

const create = (key: string) => new FakeClient(key);

function whenReleased(options: ClientCacheOptions<FakeClient> = {}) {
  return recordingClientCache<FakeClient>({ maxSize: 1, defaultTtlMs: 1000, closeEvicted: 'when-released', ...options });
}

describe('lease and withClient', () => {
  it('lease hands out the cached client, or builds, caches and owns one', async () => {
    const cache = new ClientCache<FakeClient>();
    const first = cache.lease('k', create);
    const second = cache.lease('k', create);
    expect(second.client).toBe(first.client);
    expect(cache.get('k')).toBe(first.client);
    first.release();
    second.release();
    await cache.closeAll();
    expect(first.client.closes).toEqual(['close']);
  });

  it('`using` releases the lease at the end of the block', () => {
    const { cache } = whenReleased();
    let client: FakeClient | undefined;
    {
      using lease = cache.lease('victim', create);
      client = lease.client;
      cache.delete('victim');
      expect(client.closes).toEqual([]); // leased: kept open
    }
    expect(client.closes).toEqual(['close']);
  });

  it('release is bound to its lease, and releasing twice is harmless', () => {
    const { cache } = whenReleased({ maxSize: 2 });
    const held = cache.lease('victim', create);
    const other = cache.lease('victim', create);
    const { release } = held; // detached, as when passed to stream.once('close', release)
    cache.delete('victim');
    release();
    release();
    held.release();
    held[Symbol.dispose]();
    expect(held.client.closes).toEqual([]); // the second lease still holds it: extra releases did not count
    other.release();
    expect(held.client.closes).toEqual(['close']);
    other.release();
    expect(held.client.closes).toEqual(['close']);
  });

  it('withClient resolves with what fn returns and releases once fn has settled', async () => {
    const { cache } = whenReleased();
    const result = await cache.withClient('victim', create, async (client) => {
      cache.delete('victim'); // evicted while in use
      await nextTurn();
      expect(client.closes).toEqual([]);
      return client.name;
    });
    expect(result).toBe('victim');
    const [evicted] = cache.evictions;
    expect(evicted?.value.closes).toEqual(['close']);
  });

  it.each([
    ['throws', () => {
      throw new Error('boom');
    }],
    ['rejects', () => Promise.reject(new Error('boom'))],
  ])('withClient releases when fn %s, and rejects with its error', async (_name, fn) => {
    const { cache } = whenReleased();
    await expect(cache.withClient('victim', create, fn)).rejects.toThrow('boom');
    const client = cache.get('victim') as FakeClient; // get: from now on closed at shutdown only
    cache.delete('victim');
    expect(client.closes).toEqual([]);
    const leased = await cache.withClient('again', create, (each) => each);
    cache.delete('again');
    expect(leased.closes).toEqual(['close']); // the lease was released: evicted with no lease, closed at once
  });

  it('withClient checks fn before leasing', async () => {
    const cache = new ClientCache<FakeClient>();
    await expect(cache.withClient('k', create, 'use' as never)).rejects.toThrow(/fn must be a function, got "use"/);
    expect(cache.size).toBe(0);
  });

  it('a lease on a caller-supplied client never closes it', async () => {
    const { cache } = whenReleased();
    const supplied = new FakeClient('supplied');
    cache.set('victim', supplied);
    const lease = cache.lease('victim', create);
    expect(lease.client).toBe(supplied);
    cache.delete('victim');
    lease.release();
    await cache.closeAll();
    expect(supplied.closes).toEqual([]);
  });
});

describe("closeEvicted: 'when-released'", () => {
  describe.each(EVICTION_PATHS)('%s', (_name, evict, reason) => {
    it('an evicted client that is leased stays open until its last lease is released, then is closed once', async () => {
      const { cache, clock } = whenReleased();
      const first = cache.lease('victim', create);
      const second = cache.lease('victim', create);
      evict(cache, clock);
      expect(cache.evictions.map((each) => each.reason)).toContain(reason);
      await nextTurn();
      expect(first.client.closes).toEqual([]);
      first.release();
      expect(first.client.closes).toEqual([]);
      second.release();
      expect(first.client.closes).toEqual(['close']);
      await cache.closeAll();
      expect(first.client.closes).toEqual(['close']);
    });

    it('an evicted client with no lease outstanding is closed at once', async () => {
      const { cache, clock } = whenReleased();
      const lease = cache.lease('victim', create);
      lease.release();
      expect(lease.client.closes).toEqual([]); // cached: not closed
      evict(cache, clock);
      expect(lease.client.closes).toEqual(['close']);
      await cache.closeAll();
      expect(lease.client.closes).toEqual(['close']);
    });

    it('an evicted client that get or getOrCreate handed out is closed at shutdown only', async () => {
      const { cache, clock } = whenReleased();
      const client = cache.getOrCreate('victim', create);
      const lease = cache.lease('victim', create);
      evict(cache, clock);
      lease.release();
      await nextTurn();
      expect(client.closes).toEqual([]); // a holder may have kept it without a lease
      await cache.closeAll();
      expect(client.closes).toEqual(['close']);
    });
  });

  it('get hands a client out too; has does not', async () => {
    const { cache } = whenReleased({ maxSize: 2 });
    cache.lease('seen', create).release();
    cache.lease('checked', create).release();
    const seen = cache.get('seen') as FakeClient;
    expect(cache.has('checked')).toBe(true);
    const checked = cache.lease('checked', create).client;
    cache.clear();
    expect(seen.closes).toEqual([]);
    expect(checked.closes).toEqual([]); // still leased
  });

  it('with maxSize 0, every lease gets a fresh client, closed when released', () => {
    const cache = new ClientCache<FakeClient>({ maxSize: 0, closeEvicted: 'when-released' });
    const first = cache.lease('k', create);
    const second = cache.lease('k', create);
    expect(second.client).not.toBe(first.client);
    first.release();
    expect(first.client.closes).toEqual(['close']);
    expect(second.client.closes).toEqual([]);
    second.release();
    expect(second.client.closes).toEqual(['close']);
  });

  it('a client that is evicted and cached again under another key stays open while cached', () => {
    const { cache } = whenReleased({ maxSize: 2 });
    const client = new FakeClient('shared');
    cache.lease('a', () => client).release();
    cache.lease('b', () => client).release(); // the factory hands out the same client for b
    cache.delete('a');
    expect(client.closes).toEqual([]);
    cache.delete('b');
    expect(client.closes).toEqual(['close']);
  });

  it('a client stored under a new key as its expired entry leaves is not closed in between', () => {
    const { cache, clock } = whenReleased();
    const lease = cache.lease('victim', create);
    lease.release();
    clock.advance(1000); // expired, still in the cache
    const again = cache.lease('other', () => lease.client); // full: the expired entry leaves as 'other' is stored
    expect(cache.evictions.map((each) => [each.key, each.reason])).toEqual([['victim', 'ttl']]);
    expect(lease.client.closes).toEqual([]);
    again.release();
    expect(lease.client.closes).toEqual([]); // cached under 'other'
    cache.delete('other');
    expect(lease.client.closes).toEqual(['close']);
  });

  it('a client set again under its key after its entry expired is not closed in between', () => {
    const { cache, clock } = whenReleased();
    const lease = cache.lease('victim', create);
    lease.release();
    clock.advance(1000); // expired, still in the cache
    cache.set('victim', lease.client); // the expired entry is rewritten with the same client
    expect(cache.evictions.map((each) => [each.key, each.reason])).toEqual([['victim', 'ttl']]);
    expect(lease.client.closes).toEqual([]);
    cache.delete('victim');
    expect(lease.client.closes).toEqual(['close']);
  });

  it('the default mode keeps evicted leased clients open after release, until closeAll', async () => {
    const { cache } = recordingClientCache<FakeClient>({ maxSize: 1 });
    const lease = cache.lease('a', create);
    cache.delete('a');
    lease.release();
    await nextTurn();
    expect(lease.client.closes).toEqual([]);
    await cache.closeAll();
    expect(lease.client.closes).toEqual(['close']);
  });
});

describe('leases at shutdown', () => {
  it('closeAll waits for a leased client to be released, then closes it', async () => {
    const cache = new ClientCache<FakeClient>();
    const lease = cache.lease('k', create);
    let settled = false;
    const shutdown = cache.closeAll({ timeoutMs: 5_000 }).then(() => (settled = true));
    await nextTurn();
    expect(settled).toBe(false);
    expect(lease.client.closes).toEqual([]);
    lease.release();
    await shutdown;
    expect(lease.client.closes).toEqual(['close']);
  });

  it('a lease not released in time is reported; releasing it later closes the client, and a second release is harmless', async () => {
    const cache = new ClientCache<FakeClient>();
    const lease = cache.lease('busy', create);
    const error: unknown = await cache.closeAll({ timeoutMs: 5 }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).message).toMatch(
      /closeAll: 1 problem\(s\): the client created for "busy" is still leased \(1 lease\(s\) not released after 5 ms\); it is closed when its last lease is released/,
    );
    expect(lease.client.closes).toEqual([]);
    lease.release();
    expect(lease.client.closes).toEqual(['close']);
    lease.release();
    await expect(cache.closeAll()).resolves.toBeUndefined();
    expect(lease.client.closes).toEqual(['close']);
  });

  it('no lease is handed out while closeAll runs; afterwards leasing works again', async () => {
    const cache = new ClientCache<FakeClient>();
    const held = cache.lease('held', create);
    const shutdown = cache.closeAll();
    expect(() => cache.lease('k', create)).toThrow(/lease\("k"\): closeAll\(\) is in progress; no client is handed out until it settles/);
    expect(() => cache.getOrCreate('k', create)).toThrow(/getOrCreate\("k"\): closeAll\(\) is in progress/);
    await expect(cache.withClient('k', create, () => 1)).rejects.toThrow(/closeAll\(\) is in progress/);
    held.release();
    await shutdown;
    const after = cache.lease('k', create);
    expect(after.client.closes).toEqual([]);
    after.release();
    await cache.closeAll();
    expect(after.client.closes).toEqual(['close']);
  });
});
