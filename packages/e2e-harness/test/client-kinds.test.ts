import { describe, expect, it, vi } from 'vitest';
import { checkEvictionSafety, CLOSING_VERBS, defineClientKind, formatCaseResult } from '../src/index.js';
import type { ClientKind } from '../src/index.js';
import { KIND_CALL_TIMEOUT_MS, startKind } from '../src/kinds/running-kind.js';
import { galleryAdapter } from './fixtures/gallery-cache.js';
import { lineKind, startLineService } from './fixtures/line-kind.js';
import type { LineClient } from './fixtures/line-kind.js';

const oneCase = { paths: ['delete' as const] };
const neverCloses = galleryAdapter('never closes', () => undefined);
const stopsOnEviction = galleryAdapter('stops what it evicts', (client) => void (client as unknown as LineClient).stop());

describe('defineClientKind checks a kind, naming the missing or wrong member', () => {
  const valid = lineKind() as unknown as Record<string, unknown>;
  const cases: [string, unknown, RegExp][] = [
    ['not an object', 'line', /^a client kind must be an object \{ name, startBackend, createClient, … \}, got "line"$/],
    ['no name', { ...valid, name: undefined }, /^client kind: name must be a non-empty string, got undefined$/],
    ['a blank name', { ...valid, name: ' ' }, /^client kind: name must be a non-empty string, got " "$/],
    ['no startBackend', { ...valid, startBackend: undefined }, /^client kind 'line': startBackend must be a function \(options\) => Promise<backend>, got undefined$/],
    ['createClient not a function', { ...valid, createClient: {} }, /^client kind 'line': createClient must be a function \(backend, options\) => client, got an object$/],
    ['no closers', { ...valid, closers: undefined }, /^client kind 'line': closers must be a function/],
    ['no followUp', { ...valid, followUp: undefined }, /^client kind 'line': followUp must be a function/],
    ['no longOperation', { ...valid, longOperation: 1 }, /^client kind 'line': longOperation must be a function \(client, backend, holdId\) => \{ started, finished \}, got 1$/],
    ['no dispose', { ...valid, dispose: undefined }, /^client kind 'line': dispose must be a function/],
    ['connect not a function', { ...valid, connect: 'yes' }, /^client kind 'line': connect must be a function \(client, backend\) => Promise<void> when given, got "yes"$/],
    ['classifyError not a function', { ...valid, classifyError: true }, /^client kind 'line': classifyError must be a function .* when given, got true$/],
    ['closingVerbs not an array', { ...valid, closingVerbs: 'stop' }, /^client kind 'line': closingVerbs must be an array of method names or symbols, got "stop"$/],
    ['a closing verb that is not a name', { ...valid, closingVerbs: ['stop', 3] }, /^client kind 'line': closingVerbs must hold method names or symbols, got 3$/],
  ];
  for (const [what, kind, message] of cases) {
    it(what, () => {
      expect(() => defineClientKind(kind as ClientKind)).toThrow(TypeError);
      expect(() => defineClientKind(kind as ClientKind)).toThrow(message);
    });
  }

  it('returns a valid kind as given', () => {
    const kind = lineKind();
    expect(defineClientKind(kind)).toBe(kind);
  });

  it('the same checks apply to a kind passed in clients without defineClientKind', async () => {
    const broken = { ...valid, followUp: undefined } as unknown as ClientKind;
    await expect(checkEvictionSafety({ cache: neverCloses, clients: ['openai', broken] })).rejects.toThrow(
      /^clients\[1\]: client kind 'line': followUp must be a function/,
    );
  });

  it('two kinds of one name are refused', async () => {
    await expect(checkEvictionSafety({ cache: neverCloses, clients: [lineKind(), lineKind()] })).rejects.toThrow(
      "clients names the kind 'line' twice; kind names must be unique",
    );
  });
});

describe('a kind of your own', () => {
  it('runs every scenario and passes a cache that never closes it', async () => {
    const report = await checkEvictionSafety({ cache: neverCloses, clients: [lineKind()] });
    expect(report.results.filter((result) => !result.ok).map(formatCaseResult)).toEqual([]);
    expect(report.results).toHaveLength(15);
  });

  it('is caught when a cache closes it with a verb the kind declared', async () => {
    const report = await checkEvictionSafety({ cache: stopsOnEviction, clients: [lineKind()], ...oneCase });
    for (const result of report.results) {
      expect(result.ok).toBe(false);
      expect(result.closes).toEqual([expect.objectContaining({ client: 'held client', verb: 'stop', stack: expect.stringContaining('client-kinds.test.ts') })]);
    }
    expect(report.results.map((result) => result.error?.chain[0])).toEqual([
      'Error: the line service hung up',
      'Error: the line client is stopped',
      undefined,
    ]);
  });

  it('without the declaration, the tripwire does not watch that verb (only the failed operations show it)', async () => {
    expect(CLOSING_VERBS).not.toContain('stop');
    const report = await checkEvictionSafety({ cache: stopsOnEviction, clients: [lineKind({ closingVerbs: [] })], ...oneCase });
    expect(report.results.flatMap((result) => result.closes)).toEqual([]);
    expect(report.results.map((result) => result.ok)).toEqual([false, false, true]);
  });

  it('a long operation that starts and finishes early counts as not held (the scenario still passes)', async () => {
    const report = await checkEvictionSafety({
      cache: neverCloses,
      clients: [lineKind({ longOperation: () => ({ started: Promise.resolve(), finished: Promise.resolve() }) })],
      ...oneCase,
      scenarios: ['stream-in-flight'],
    });
    expect(report.ok).toBe(true);
  });
});

describe('backends start once per check, each kind as soon as its own is up', () => {
  it("a kind whose backend is still starting does not hold up another kind's cases", { timeout: 20_000 }, async () => {
    let fastCaseUnderWay!: () => void;
    const fastCaseStarted = new Promise<void>((resolve) => (fastCaseUnderWay = resolve));
    const fast = lineKind({
      name: 'line-fast',
      createClient: (backend, options) => {
        // The slow backend comes up only once a fast case is under way: a session that waited
        // for every backend before any case would wait here until the test's timeout.
        fastCaseUnderWay();
        return lineKind().createClient(backend, options);
      },
    });
    const slow = lineKind({
      name: 'line-slow',
      startBackend: async () => {
        await fastCaseStarted;
        return startLineService();
      },
    });
    const report = await checkEvictionSafety({ cache: neverCloses, clients: [slow, fast], ...oneCase });
    expect(report.results.map(({ client, ok }) => [client, ok])).toEqual([
      ['line-slow', true],
      ['line-slow', true],
      ['line-slow', true],
      ['line-fast', true],
      ['line-fast', true],
      ['line-fast', true],
    ]);
  });
});

describe("a kind's own failures fail its cases, saying which call", () => {
  it('createClient returning no object', async () => {
    const kind = lineKind({ createClient: () => undefined as unknown as LineClient });
    const report = await checkEvictionSafety({ cache: neverCloses, clients: [kind], ...oneCase, scenarios: ['holder-request-after-eviction'] });
    expect(report.results[0]?.error?.chain).toEqual(["TypeError: client kind 'line': createClient must return an object, got undefined"]);
  });

  it('longOperation returning no promises', async () => {
    const kind = lineKind({ longOperation: () => ({}) as never });
    const report = await checkEvictionSafety({ cache: neverCloses, clients: [kind], ...oneCase, scenarios: ['stream-in-flight'] });
    expect(report.results[0]?.error?.chain).toEqual(["TypeError: client kind 'line': longOperation must return { started, finished }, two promises"]);
  });

  it('a backend that fails to start makes the check throw, naming the kind', async () => {
    const kind = lineKind({ startBackend: () => Promise.reject(new Error('port in use')) });
    const check = checkEvictionSafety({ cache: neverCloses, clients: [kind], ...oneCase });
    await expect(check).rejects.toThrow("client kind 'line': startBackend failed");
    await expect(check).rejects.toMatchObject({ cause: new Error('port in use') });
  });

  it('a backend that comes up after its start timed out is stopped, not left running', async () => {
    let stopped = 0;
    let cameUp!: () => void;
    const up = new Promise<void>((resolve) => (cameUp = resolve));
    const kind = lineKind({
      startBackend: async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const backend = await startLineService();
        cameUp();
        return { ...backend, stop: async () => void (stopped++, await backend.stop()) };
      },
    });
    await expect(startKind(kind, { chunks: 4, chunkIntervalMs: 5 }, 50)).rejects.toThrow("client kind 'line': startBackend failed");
    await up;
    await vi.waitFor(() => expect(stopped).toBe(1));
  });

  it('a backend that fails to start stops the backends already started by the same check', async () => {
    let stopped = 0;
    const healthy = lineKind({
      name: 'line-healthy',
      startBackend: async () => {
        const backend = await startLineService();
        return { ...backend, stop: async () => void (stopped++, await backend.stop()) };
      },
    });
    const failing = lineKind({ name: 'line-failing', startBackend: () => Promise.reject(new Error('port in use')) });
    const check = checkEvictionSafety({ cache: neverCloses, clients: [healthy, failing], ...oneCase });
    await expect(check).rejects.toThrow("client kind 'line-failing': startBackend failed");
    expect(stopped).toBe(1);
  });

  it('a backend without connections is stopped, and the check throws naming what is missing', async () => {
    let stopped = 0;
    const kind = lineKind({
      startBackend: () => Promise.resolve({ release: () => undefined, stop: async () => void stopped++ } as never),
    });
    await expect(checkEvictionSafety({ cache: neverCloses, clients: [kind], ...oneCase })).rejects.toThrow(
      "client kind 'line': the backend's connections must be { mark, openSince } (see trackConnections)",
    );
    expect(stopped).toBe(1);
  });

  it(
    'a follow-up operation that never settles fails the case at the bound instead of hanging the check',
    async () => {
      const kind = lineKind({ followUp: () => new Promise<never>(() => undefined) });
      const report = await checkEvictionSafety({ cache: neverCloses, clients: [kind], ...oneCase, scenarios: ['holder-request-after-eviction'] });
      expect(report.results[0]?.error?.chain).toEqual([`Error: client kind 'line': the follow-up operation did not settle within ${KIND_CALL_TIMEOUT_MS} ms`]);
    },
    KIND_CALL_TIMEOUT_MS + 10_000,
  );
});
