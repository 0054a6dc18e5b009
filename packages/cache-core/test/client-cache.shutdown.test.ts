import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientCache } from '../src/index.js';
import { FakeClient, nextTurn } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

function clientNamed(name: string, closeBehaviour: FakeClient['closeBehaviour'] = 'ok'): FakeClient {
  return Object.assign(new FakeClient(name), { closeBehaviour });
}

async function rejection(promise: Promise<unknown>): Promise<AggregateError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AggregateError);
  return error as AggregateError;
}

const messages = (error: AggregateError) => (error.errors as Error[]).map((each) => each.message).sort();

describe('closeAll options', () => {
  it.each([
    [{ timeoutMs: -1 }, RangeError, /timeoutMs must be > 0 and <= 2147483647 milliseconds \(or Infinity\), got -1/],
    [{ timeoutMs: 0 }, RangeError, /timeoutMs must be > 0 .* got 0/],
    [{ timeoutMs: Number.NaN }, RangeError, /timeoutMs .* got NaN/],
    [{ timeoutMs: 2 ** 31 }, RangeError, /timeoutMs .* got 2147483648/],
    [{ timeoutMs: '5' }, TypeError, /timeoutMs must be a number, got "5"/],
    [{ timeout: 5 }, TypeError, /closeAll options has unknown key\(s\) "timeout"; known: timeoutMs/],
    [[], TypeError, /closeAll options must be an object, got an array/],
    [5, TypeError, /closeAll options must be an object, got 5/],
  ])('rejects %o before touching the cache', async (options, errorType, message) => {
    const cache = new ClientCache<FakeClient>();
    const client = cache.getOrCreate('k', (key) => new FakeClient(key));
    await expect(cache.closeAll(options as never)).rejects.toThrow(errorType);
    await expect(cache.closeAll(options as never)).rejects.toThrow(message);
    expect(cache.get('k')).toBe(client);
    expect(client.closes).toEqual([]);
  });
});

describe('closeAll cannot hang or lose an error', () => {
  it('a close that never settles is named after timeoutMs, with every failure, once the others are closed', async () => {
    const cache = new ClientCache<FakeClient>();
    const clients = [clientNamed('ok'), clientNamed('slow', 'hang'), clientNamed('bad1', 'fail'), clientNamed('bad2', 'fail')];
    for (const client of clients) cache.getOrCreate(client.name, () => client);
    const error = await rejection(cache.closeAll({ timeoutMs: 20 }));
    expect(messages(error)).toEqual([
      'closing the client created for "bad1" failed: cannot close bad1',
      'closing the client created for "bad2" failed: cannot close bad2',
      'closing the client created for "slow" did not settle within 20 ms',
    ]);
    expect((error.errors as Error[]).filter((each) => each.cause !== undefined).map((each) => (each.cause as Error).message).sort()).toEqual([
      'cannot close bad1',
      'cannot close bad2',
    ]);
    expect(error.message).toMatch(/^closeAll: 3 problem\(s\): /);
    expect(error.message).toContain('"slow" did not settle within 20 ms');
    expect(clients.map((client) => client.closes.length)).toEqual([1, 1, 1, 1]);

    // Later calls do not hang either, and never close a client twice.
    const again = await rejection(cache.closeAll({ timeoutMs: 5 }));
    expect(messages(again)).toEqual(['closing the client created for "slow" did not settle within 5 ms']);
    clients[1]?.finishClose();
    await expect(cache.closeAll({ timeoutMs: 5 })).resolves.toBeUndefined();
    expect(clients.map((client) => client.closes.length)).toEqual([1, 1, 1, 1]);
  });

  it('Symbol.asyncDispose and closeAll() wait 10 s by default, not for ever', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    for (const shutDown of [(cache: ClientCache<FakeClient>) => cache.closeAll(), (cache: ClientCache<FakeClient>) => cache[Symbol.asyncDispose]()]) {
      const cache = new ClientCache<FakeClient>();
      cache.getOrCreate('slow', () => clientNamed('slow', 'hang'));
      let outcome: unknown;
      void shutDown(cache).catch((error: unknown) => (outcome = error));
      await vi.advanceTimersByTimeAsync(9_999);
      expect(outcome).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(messages(outcome as AggregateError)).toEqual(['closing the client created for "slow" did not settle within 10000 ms']);
    }
  });

  it('timeoutMs: Infinity waits for the close, however long it takes', async () => {
    const cache = new ClientCache<FakeClient>();
    const slow = cache.getOrCreate('slow', () => clientNamed('slow', 'hang'));
    let settled = false;
    const shutdown = cache.closeAll({ timeoutMs: Infinity }).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    slow.finishClose();
    await shutdown;
    expect(settled).toBe(true);
  });

  it('every concurrent caller learns of a failure', async () => {
    let fail!: () => void;
    const failing = new Promise<void>((_resolve, reject) => (fail = () => reject(new Error('socket busy'))));
    const cache = new ClientCache<object>({ closeClient: () => failing });
    cache.getOrCreate('k', () => ({}));
    const first = rejection(cache.closeAll());
    const second = rejection(cache.closeAll());
    await nextTurn();
    fail();
    for (const error of await Promise.all([first, second])) {
      expect(messages(error)).toEqual(['closing the client created for "k" failed: socket busy']);
    }
    await expect(cache.closeAll()).resolves.toBeUndefined(); // reported: not again
  });

  it('concurrent calls close each client once and both wait for the close', async () => {
    let closes = 0;
    let finished = false;
    const cache = new ClientCache<object>({
      closeClient: async () => {
        closes += 1;
        await new Promise((resolve) => setTimeout(resolve, 30));
        finished = true;
      },
    });
    cache.getOrCreate('k', () => ({}));
    const first = cache.closeAll();
    await cache.closeAll();
    expect(finished).toBe(true);
    await first;
    expect(closes).toBe(1);
  });

  it('a failure that settles after a call stopped waiting is reported by the next call, once', async () => {
    let fail!: () => void;
    const cache = new ClientCache<object>({
      closeClient: () => new Promise<void>((_resolve, reject) => (fail = () => reject(new Error('late failure')))),
    });
    cache.getOrCreate('late', () => ({}));
    const first = await rejection(cache.closeAll({ timeoutMs: 5 }));
    expect(messages(first)).toEqual(['closing the client created for "late" did not settle within 5 ms']);
    fail();
    await nextTurn();
    const second = await rejection(cache.closeAll({ timeoutMs: 5 }));
    expect(messages(second)).toEqual(['closing the client created for "late" failed: late failure']);
    await expect(cache.closeAll({ timeoutMs: 5 })).resolves.toBeUndefined();
  });

  it("a failing close on release ('when-released') is reported by the next closeAll", async () => {
    const cache = new ClientCache<FakeClient>({ closeEvicted: 'when-released' });
    const lease = cache.lease('k', () => clientNamed('k', 'fail'));
    cache.delete('k');
    lease.release(); // closes, fails in the background
    await nextTurn();
    const error = await rejection(cache.closeAll());
    expect(messages(error)).toEqual(['closing the client created for "k" failed: cannot close k']);
    await expect(cache.closeAll()).resolves.toBeUndefined();
  });

  it('a closeClient that throws synchronously is a reported failure, not a crash', async () => {
    const cache = new ClientCache<object>({
      closeClient: () => {
        throw new Error('sync throw');
      },
    });
    cache.getOrCreate('k', () => ({}));
    expect(messages(await rejection(cache.closeAll()))).toEqual(['closing the client created for "k" failed: sync throw']);
  });

  it('a throwing isClosed is a reported failure too', async () => {
    let throwNow = false;
    const cache = new ClientCache<object>({
      isClosed: () => {
        if (throwNow) throw new Error('isClosed failed');
        return false;
      },
      closeClient: () => undefined,
    });
    cache.getOrCreate('k', () => ({}));
    throwNow = true;
    const error = await rejection(cache.closeAll());
    expect(messages(error)).toEqual(['closing the client created for "k" failed: isClosed failed']);
  });
});

describe('closeAll called from a close, and clients created during shutdown', () => {
  it('a closeClient that calls closeAll (at once or after an await) does not deadlock', async () => {
    const inner: Promise<void>[] = [];
    const cache: ClientCache<FakeClient> = new ClientCache<FakeClient>({
      closeClient: async (client) => {
        if (client.name === 'sync') inner.push(cache.closeAll());
        await nextTurn();
        if (client.name === 'async') inner.push(cache.closeAll());
        await client.close();
      },
    });
    const clients = ['sync', 'async'].map((name) => cache.getOrCreate(name, () => new FakeClient(name)));
    await cache.closeAll({ timeoutMs: 1_000 });
    await Promise.all(inner);
    expect(inner).toHaveLength(2);
    expect(clients.map((client) => client.closes)).toEqual([['close'], ['close']]);
  });

  it('a close that shuts another cache down, whose close calls back into the first, does not deadlock', async () => {
    const caches: ClientCache<object>[] = [];
    const closingCallsOther = (other: number) => async () => {
      await nextTurn();
      await caches[other]?.closeAll({ timeoutMs: 1_000 });
    };
    caches.push(new ClientCache<object>({ closeClient: closingCallsOther(1) }), new ClientCache<object>({ closeClient: closingCallsOther(0) }));
    for (const cache of caches) cache.getOrCreate('k', () => ({}));
    await expect(caches[0]?.closeAll({ timeoutMs: 1_000 })).resolves.toBeUndefined();
    await expect(caches[1]?.closeAll({ timeoutMs: 1_000 })).resolves.toBeUndefined();
  });

  it('a closeClient that calls getOrCreate is refused: its close fails and is reported, nothing is left open in the cache', async () => {
    const created: FakeClient[] = [];
    const cache: ClientCache<FakeClient> = new ClientCache<FakeClient>({
      closeClient: async (client) => {
        await client.close();
        created.push(cache.getOrCreate('replacement', (key) => new FakeClient(key)));
      },
    });
    cache.getOrCreate('k', (key) => new FakeClient(key));
    const error = await rejection(cache.closeAll());
    expect(messages(error)).toEqual([
      'closing the client created for "k" failed: getOrCreate("replacement"): closeAll() is in progress; no client is handed out until it settles',
    ]);
    expect(created).toEqual([]);
    expect(cache.size).toBe(0);
  });

  it('a client asked for by other code while closeAll runs is refused; after it settles the cache works again', async () => {
    const cache = new ClientCache<FakeClient>();
    const slow = cache.getOrCreate('slow', () => clientNamed('slow', 'hang'));
    const shutdown = cache.closeAll({ timeoutMs: 1_000 });
    expect(() => cache.getOrCreate('new', (key) => new FakeClient(key))).toThrow(/closeAll\(\) is in progress/);
    slow.finishClose();
    await shutdown;
    const fresh = cache.getOrCreate('new', (key) => new FakeClient(key));
    await cache.closeAll();
    expect(fresh.closes).toEqual(['close']);
  });
});

describe('closeAll with a real undici Agent whose response is still streaming', () => {
  it('rejects after timeoutMs naming the Agent, instead of waiting for the stream (undici close() is graceful)', async () => {
    // The one loopback server in cache-core: a response that sends one event, then waits for the test.
    let finishStream!: () => void;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"token":"first"}\n\n');
      finishStream = () => res.end('data: [DONE]\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const cache = new ClientCache<Agent>();
      const agent = cache.getOrCreate('llm', () => new Agent());
      const response = await request(`${origin}/stream`, { dispatcher: agent });
      const chunks: string[] = [];
      const reading = (async () => {
        for await (const chunk of response.body) chunks.push(String(chunk));
      })();
      await vi.waitFor(() => expect(chunks.join('')).toContain('first'));
      const error = await rejection(cache.closeAll({ timeoutMs: 50 }));
      expect(messages(error)).toEqual(['closing the client created for "llm" did not settle within 50 ms']);
      expect(agent.closed).toBe(true); // close() was called, once, and waits for the stream
      finishStream();
      await reading; // the stream in flight completes: a graceful close
      expect(chunks.join('')).toContain('[DONE]');
      await expect(cache.closeAll({ timeoutMs: 1_000 })).resolves.toBeUndefined(); // the close settled
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
