/**
 * TypeScript counterparts of LiteLLM's end-to-end tests for "never close a client on eviction",
 * with real undici Agents and the real openai SDK over real loopback sockets. The ported tests
 * sleep 150 ms after the eviction, as LiteLLM's do; the "every eviction path" block beside them
 * settles exactly (settleAfter), so a close deferred by any delay is seen too.
 */
import OpenAI from 'openai';
import { Agent, fetch as undiciFetch, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientCache, type EvictionReason } from '../src/index.js';
import { ManualClock, processProblemsDuring, settle, settleAfter, watchCloses } from './helpers.js';
import { STREAM_CHUNKS, startLoopbackServer, type LoopbackServer } from './loopback-llm-server.js';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(async () => {
  await server.close();
});

async function get(agent: Agent, path: string): Promise<string> {
  const response = await request(`${server.origin}${path}`, { dispatcher: agent });
  return response.body.text();
}

/** An OpenAI SDK client owns no sockets; its dispatcher does, so the cache closes that. */
interface LlmClient {
  readonly openai: OpenAI;
  readonly agent: Agent;
}

function newLlmClient(): LlmClient {
  const agent = new Agent();
  const openai = new OpenAI({
    apiKey: 'test-key',
    baseURL: `${server.origin}/v1`,
    maxRetries: 0,
    // undici's own fetch, so the Agent and the fetch come from the same undici version.
    fetch: (url, init) => undiciFetch(url as string, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
  });
  return { openai, agent };
}

function llmCache(clock?: ManualClock): ClientCache<LlmClient> {
  return new ClientCache<LlmClient>({
    maxSize: 1,
    defaultTtlMs: 1_000,
    clock: clock?.read,
    closeClient: (client) => client.agent.close(),
    isClosed: (client) => client.agent.closed || client.agent.destroyed,
  });
}

async function ping(client: LlmClient): Promise<string | null | undefined> {
  const completion = await client.openai.chat.completions.create({ model: 'loopback', messages: [{ role: 'user', content: 'ping' }] });
  return completion.choices[0]?.message.content;
}

function expectOpen(agent: Agent): void {
  expect(agent.closed).toBe(false);
  expect(agent.destroyed).toBe(false);
}

describe('a real undici Agent', () => {
  it('survives size eviction with a request in flight, and still serves new requests', async () => {
    const cache = new ClientCache<Agent>({ maxSize: 1 });
    const agent = cache.getOrCreate('a', () => new Agent());
    const inFlight = get(agent, '/slow?ms=200');
    await settle(20);
    cache.getOrCreate('filler', () => new Agent());
    expect(cache.has('a')).toBe(false);
    await settle();
    expectOpen(agent);
    expect(await inFlight).toBe('slow done');
    expect(await get(agent, '/')).toBe('ok');
    await cache.closeAll();
  });

  it('survives TTL expiry through evictExpired()', async () => {
    const clock = new ManualClock();
    const cache = new ClientCache<Agent>({ clock: clock.read });
    const agent = cache.getOrCreate('a', () => new Agent());
    clock.advance(3_600_000);
    expect(cache.evictExpired()).toBe(1);
    await settle();
    expectOpen(agent);
    expect(await get(agent, '/')).toBe('ok');
    await cache.closeAll();
  });

  it('size eviction raises no process warning and no unhandled rejection', async () => {
    const cache = new ClientCache<Agent>({ maxSize: 2 });
    const agents: Agent[] = [];
    const problems = await processProblemsDuring(async () => {
      for (let i = 0; i < 10; i++) agents.push(cache.getOrCreate(`k${i}`, () => new Agent()));
      await settle();
    });
    expect(problems).toEqual([]);
    for (const agent of agents) expectOpen(agent);
    await cache.closeAll();
  });

  it('streams SSE to the end although its Agent is evicted mid-stream', async () => {
    const cache = new ClientCache<Agent>({ maxSize: 1 });
    const agent = cache.getOrCreate('stream', () => new Agent());
    const response = await request(`${server.origin}/sse`, { dispatcher: agent });
    const events: string[] = [];
    let evicted = false;
    for await (const part of response.body) {
      events.push(...String(part).split('\n\n').filter((line) => line.startsWith('data:')));
      if (!evicted) {
        cache.getOrCreate('filler', () => new Agent());
        evicted = true;
        await settle();
      }
    }
    expect(evicted).toBe(true);
    expect(events).toHaveLength(STREAM_CHUNKS + 1);
    expect(events.at(-1)).toBe('data: [DONE]');
    expectOpen(agent);
    await cache.closeAll();
  });

  it('caller-supplied: never closed, not by eviction and not by closeAll', async () => {
    const cache = new ClientCache<Agent>({ maxSize: 1 });
    const supplied = new Agent();
    cache.set('mine', supplied);
    cache.getOrCreate('filler', () => new Agent());
    await settle();
    await cache.closeAll();
    await settle();
    expectOpen(supplied);
    expect(await get(supplied, '/')).toBe('ok');
    await supplied.close();
  });

  it('owned and evicted: open until closeAll, closed by it exactly once', async () => {
    let closes = 0;
    const cache = new ClientCache<Agent>({
      maxSize: 1,
      closeClient: (agent) => (closes++, agent.close()),
    });
    const agent = cache.getOrCreate('a', () => new Agent());
    cache.getOrCreate('filler', () => new Agent());
    await settle();
    expectOpen(agent);
    expect(await get(agent, '/')).toBe('ok');
    await cache.closeAll();
    expect(agent.closed).toBe(true);
    expect(closes).toBe(2);
    await cache.closeAll();
    expect(closes).toBe(2);
    await expect(get(agent, '/')).rejects.toThrow(/closed|destroyed/i);
  });
});

describe('every eviction path, settled exactly: a real undici Agent stays open', () => {
  /** `spare` is a caller-supplied Agent, for the overwrite. */
  type Evict = (cache: ClientCache<Agent>, clock: ManualClock, spare: Agent) => unknown;
  it.each<[string, Evict]>([
    ['size', (cache) => cache.getOrCreate('filler', () => new Agent())],
    ['ttl through get', (cache, clock) => (clock.advance(1_000), cache.get('a'))],
    ['ttl through evictExpired', (cache, clock) => (clock.advance(1_000), cache.evictExpired())],
    ['delete', (cache) => cache.delete('a')],
    ['overwrite', (cache, _clock, spare) => cache.set('a', spare)],
    ['clear', (cache) => cache.clear()],
  ])('%s: no close call, the in-flight and next requests succeed, closeAll closes it', async (_name, evict) => {
    const clock = new ManualClock();
    const cache = new ClientCache<Agent>({ maxSize: 1, defaultTtlMs: 1_000, clock: clock.read });
    const agent = cache.getOrCreate('a', () => new Agent());
    const closes = watchCloses(agent);
    const spare = new Agent();
    const inFlight = get(agent, '/slow?ms=50');
    await settleAfter(() => evict(cache, clock, spare));
    expect(cache.get('a')).not.toBe(agent);
    expect(closes).toEqual([]);
    expectOpen(agent);
    expect(await inFlight).toBe('slow done');
    expect(await get(agent, '/')).toBe('ok');
    await cache.closeAll();
    expect(closes[0]).toBe('close'); // undici's close then calls its own close/destroy internally
    expect(agent.closed).toBe(true);
    await spare.close();
  });
});

describe('a real openai SDK client (through its undici Agent)', () => {
  it('survives eviction by a filler entry', async () => {
    const cache = llmCache();
    const client = cache.getOrCreate('openai', newLlmClient);
    expect(await ping(client)).toBe('pong');
    cache.getOrCreate('filler', newLlmClient);
    await settle();
    expectOpen(client.agent);
    expect(await ping(client)).toBe('pong');
    await cache.closeAll();
    expect(client.agent.closed).toBe(true);
    // Proves the SDK really sends through this Agent, so the checks above could have failed.
    await expect(ping(client)).rejects.toThrow();
  });

  it('survives TTL expiry through the get path', async () => {
    const clock = new ManualClock();
    const cache = llmCache(clock);
    const client = cache.getOrCreate('openai', newLlmClient);
    clock.advance(1_000);
    expect(cache.get('openai')).toBeUndefined();
    await settle();
    expectOpen(client.agent);
    expect(await ping(client)).toBe('pong');
    expect(cache.getOrCreate('openai', newLlmClient)).not.toBe(client);
    await cache.closeAll();
  });

  it('finishes a streaming completion although its client is evicted mid-stream', async () => {
    const cache = llmCache();
    const client = cache.getOrCreate('openai', newLlmClient);
    const stream = await client.openai.chat.completions.create({
      model: 'loopback',
      messages: [{ role: 'user', content: 'stream please' }],
      stream: true,
    });
    const tokens: string[] = [];
    for await (const part of stream) {
      tokens.push(part.choices[0]?.delta.content ?? '');
      if (tokens.length === 1) {
        cache.getOrCreate('filler', newLlmClient);
        await settle();
      }
    }
    expect(tokens).toEqual(Array.from({ length: STREAM_CHUNKS }, (_, i) => `tok${i} `));
    expectOpen(client.agent);
    await cache.closeAll();
  });
});

describe('negative control: the LiteLLM regression, closing in the eviction hook', () => {
  /** What PR #21717 did: close the evicted client, deferred like `create_task`. */
  class ClosingOnEvict extends ClientCache<Agent> {
    protected override onEvict(_key: string, agent: Agent, _reason: EvictionReason): void {
      // eslint-disable-next-line no-close-on-evict/no-close-on-evict -- the bug these tests must detect
      setImmediate(() => agent.close().catch(() => undefined));
    }
  }

  it('is invisible right after eviction, seen after settling, and breaks the held client', async () => {
    const cache = new ClosingOnEvict({ maxSize: 1 });
    const agent = cache.getOrCreate('a', () => new Agent());
    cache.getOrCreate('filler', () => new Agent());
    expectOpen(agent); // a plain assert right after eviction misses the deferred close
    await settle();
    expect(agent.closed).toBe(true);
    await expect(get(agent, '/')).rejects.toThrow(/closed|destroyed/i);
    await cache.closeAll();
  });
});
