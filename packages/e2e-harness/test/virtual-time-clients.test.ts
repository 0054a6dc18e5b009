import { once } from 'node:events';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { CloseWatch } from '../src/tripwire/close-watch.js';
import { CLOSING_VERBS } from '../src/tripwire/closing-verbs.js';
import { virtualCasesEndedAfterEach } from './virtual-case.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const openCase = virtualCasesEndedAfterEach();

/** A loopback server that counts connections and can park a response until released. */
async function startServer() {
  let connections = 0;
  let parked: (() => void) | undefined;
  let markParked!: () => void;
  const parkedNow = new Promise<void>((resolve) => (markParked = resolve));
  const server = createServer((req, res) => {
    if (req.url === '/parked') {
      parked = () => res.end('parked');
      markParked();
      return;
    }
    res.end('ok');
  });
  // Longer than the test: a socket closed early would be undici's doing, not the server's.
  server.keepAliveTimeout = 10 * MINUTE;
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    parkedNow,
    release: () => parked?.(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function text(dispatcher: Agent, url: string): Promise<string> {
  const response = await request(url, { dispatcher });
  return response.body.text();
}

describe('the clients keep real time across an advance', () => {
  it('a keep-alive undici Agent used by the cache keeps its socket and its in-flight request through a 1 h advance', async () => {
    const server = await startServer();
    // Its keep-alive timer is a native timer, its headers timeout a fast timer driven by undici's
    // own ticking timer: all armed in the case's async context by the requests below.
    const agent = new Agent({ connections: 1, keepAliveTimeout: 10 * MINUTE, keepAliveMaxTimeout: 10 * MINUTE, headersTimeout: 30_000 });
    const virtualCase = openCase();
    try {
      expect(await virtualCase.inCache(() => text(agent, `${server.origin}/`))).toBe('ok');
      const parked = virtualCase.inCache(() => text(agent, `${server.origin}/parked`));
      await server.parkedNow;
      virtualCase.evict(() => void setTimeout(() => virtualCase.note('closed'), HOUR));
      const clientTimers = [...virtualCase.cache.resources.values()].filter(
        (resource) => resource.type === 'Timeout' && resource.stack.includes('undici'),
      );
      expect(clientTimers.length).toBeGreaterThan(0);

      const result = await virtualCase.time.advance();
      expect(virtualCase.log).toEqual([{ what: 'closed', at: HOUR }]);
      expect(result.runs.map((run) => run.delayMs)).toEqual([HOUR]);

      server.release();
      expect(await parked).toBe('parked');
      expect(await virtualCase.inCache(() => text(agent, `${server.origin}/`))).toBe('ok');
      expect(server.connections()).toBe(1);
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it("a client library's clock reads stay real inside the case while the cache's move", async () => {
    const root = await mkdtemp(join(tmpdir(), 'virtual-time-'));
    try {
      const sdk = join(root, 'node_modules', 'some-sdk');
      await mkdir(sdk, { recursive: true });
      await writeFile(join(sdk, 'index.mjs'), 'export const readClock = () => [Date.now(), performance.now(), new Date().getTime()];\n');
      const { readClock } = (await import(pathToFileURL(join(sdk, 'index.mjs')).href)) as { readClock: () => number[] };
      const readHere = () => [Date.now(), performance.now(), new Date().getTime()];

      const virtualCase = openCase({ clientModules: ['some-sdk'] });
      virtualCase.evict(() => void setTimeout(() => undefined, HOUR));
      await virtualCase.time.advance();
      const [realDate = 0, realPerformance = 0] = readHere();
      const [sdkDate = 0, sdkPerformance = 0, sdkNewDate = 0] = virtualCase.inCache(readClock);
      const [cacheDate = 0, cachePerformance = 0, cacheNewDate = 0] = virtualCase.inCache(readHere);
      for (const sdkRead of [sdkDate, sdkNewDate]) expect(Math.abs(sdkRead - realDate)).toBeLessThan(1000);
      expect(Math.abs(sdkPerformance - realPerformance)).toBeLessThan(1000);
      for (const cacheRead of [cacheDate, cacheNewDate]) expect(cacheRead - realDate).toBeGreaterThan(HOUR - 1000);
      expect(cachePerformance - realPerformance).toBeGreaterThan(HOUR - 1000);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('the Date constructor stays the Date the rest of the process knows', async () => {
    const virtualCase = openCase();
    virtualCase.evict(() => void setTimeout(() => undefined, HOUR));
    await virtualCase.time.advance();
    const inCase = virtualCase.inCache(() => new Date());
    expect(inCase).toBeInstanceOf(Date);
    expect(Object.getPrototypeOf(inCase)).toBe(Date.prototype);
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(virtualCase.inCache(() => Date.parse(Date()))).toBeGreaterThan(Date.now() + HOUR - 2000);
    class Stamp extends Date {}
    expect(virtualCase.inCache(() => new Stamp())).toBeInstanceOf(Stamp);
  });
});

describe('a close recorded during an advance says when and which timer made it', () => {
  /** A case whose held client (a real undici Agent) is watched by the tripwire. */
  function watchedCase() {
    const watch = new CloseWatch();
    const held = new Agent();
    watch.watch('held client', [held], CLOSING_VERBS);
    return { virtualCase: openCase(), watch, held };
  }

  it('a held client closed by a 10 min timer armed by the eviction', async () => {
    const { virtualCase, watch, held } = watchedCase();
    virtualCase.evict(() => void setTimeout(() => void held.close(), 10 * MINUTE));
    await virtualCase.time.advance({ stopWhen: () => watch.failed });
    expect(watch.closes).toEqual([
      expect.objectContaining({
        client: 'held client',
        verb: 'close',
        eviction: { path: 'delete', key: 'key', msAfter: 10 * MINUTE, via: 'eviction' },
        timer: { msAfter: 10 * MINUTE, delayMs: 10 * MINUTE, repeats: false, armedMsAfter: 0, armedAt: expect.stringContaining('virtual-time-clients.test.ts') },
      }),
    ]);
  });

  it('a held client closed by a reaper interval armed when the cache was created', async () => {
    const { virtualCase, watch, held } = watchedCase();
    const retired: Agent[] = [];
    // eslint-disable-next-line no-close-on-evict/no-close-on-evict -- the reaper this test must catch
    virtualCase.inCache(() => setInterval(() => retired.splice(0).forEach((client) => void client.close()), 30_000).unref());
    virtualCase.evict(() => retired.push(held));
    await virtualCase.time.advance({ stopWhen: () => watch.failed });
    expect(watch.closes).toEqual([
      expect.objectContaining({
        eviction: expect.objectContaining({ via: 'cache-timer' }),
        timer: expect.objectContaining({ delayMs: 30_000, repeats: true }),
      }),
    ]);
    const close = watch.closes[0];
    expect(close?.eviction?.msAfter).toBe(close?.timer?.msAfter);
    expect(close?.eviction?.msAfter).toBeGreaterThan(0);
    expect(close?.eviction?.msAfter).toBeLessThanOrEqual(30_000);
  });

  it('twin: the same timers closing nothing record nothing', async () => {
    const { virtualCase, watch, held } = watchedCase();
    const retired: Agent[] = [];
    virtualCase.inCache(() => setInterval(() => void retired.splice(0), 30_000).unref());
    virtualCase.evict(() => {
      retired.push(held);
      setTimeout(() => virtualCase.note('dropped its reference'), 10 * MINUTE);
    });
    const result = await virtualCase.time.advance();
    expect(watch.closes).toEqual([]);
    expect(virtualCase.log).toEqual([{ what: 'dropped its reference', at: 10 * MINUTE }]);
    expect(result.runs.length).toBeGreaterThan(1);
    await held.close();
  });
});
