import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { closeClient, reportsClosed } from '../src/index.js';

function recorder(): { calls: string[]; method: (name: string) => () => Promise<void> } {
  const calls: string[] = [];
  return { calls, method: (name) => async () => void calls.push(name) };
}

describe('closeClient (the default closer)', () => {
  it.each([
    ['close', ['close', 'aclose', 'destroy']],
    ['aclose', ['aclose', 'destroy']],
    ['destroy', ['destroy', 'end']],
    ['end', ['end']],
  ])('calls %s when it is the first close method the client has', async (expected, methods) => {
    const { calls, method } = recorder();
    const client = Object.fromEntries(methods.map((name) => [name, method(name)]));
    await closeClient(client);
    expect(calls).toEqual([expected]);
  });

  it('falls back to Symbol.asyncDispose', async () => {
    const { calls, method } = recorder();
    await closeClient({ [Symbol.asyncDispose]: method('asyncDispose') });
    expect(calls).toEqual(['asyncDispose']);
  });

  it('ends a real pg Pool, which has only end(), and then reports it closed', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: 1 });
    expect(reportsClosed(pool)).toBe(false);
    await closeClient(pool);
    expect(pool.ended).toBe(true);
    expect(reportsClosed(pool)).toBe(true);
  });

  it('awaits an async close and calls it on the client', async () => {
    let finished = false;
    const client = {
      async close(this: unknown) {
        expect(this).toBe(client);
        await new Promise((resolve) => setTimeout(resolve, 5));
        finished = true;
      },
    };
    await closeClient(client);
    expect(finished).toBe(true);
  });

  it('propagates a close failure', async () => {
    await expect(closeClient({ close: () => Promise.reject(new Error('socket busy')) })).rejects.toThrow('socket busy');
    await expect(
      closeClient({
        close() {
          throw new Error('sync throw');
        },
      }),
    ).rejects.toThrow('sync throw');
  });

  it.each([[{ closed: false }], [null], ['a string'], [{ close: 'not a function' }]])(
    'rejects %o, which it cannot close, with a TypeError saying what to configure',
    async (client) => {
      await expect(closeClient(client)).rejects.toThrow(TypeError);
      await expect(closeClient(client)).rejects.toThrow(/pass a closeClient option/);
    },
  );
});

describe('reportsClosed (the default isClosed)', () => {
  it.each([
    [{ closed: true }, true],
    [{ destroyed: true }, true],
    [{ ended: true }, true],
    [{ closed: false, destroyed: false }, false],
    [{}, false],
    [{ closed: 'yes' }, false],
    [{ ended: 1 }, false],
  ])('%o -> %s', (client, expected) => {
    expect(reportsClosed(client)).toBe(expected);
  });
});
