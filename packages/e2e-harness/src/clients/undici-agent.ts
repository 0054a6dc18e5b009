import { Agent, request } from 'undici';
import { CHAT_REQUEST, readInBackground } from './client-kind.js';
import type { ClientKind } from './client-kind.js';

async function* serverSentEvents(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const part of body) {
    buffered += decoder.decode(part, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) !== -1) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event.startsWith('data: ') ? event.slice('data: '.length) : undefined;
      if (data !== undefined && data !== '[DONE]') yield data;
    }
  }
}

async function post(agent: Agent, origin: string, body: object, headers: Record<string, string> = {}) {
  const response = await request(new URL('/v1/chat/completions', origin), {
    dispatcher: agent,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (response.statusCode !== 200) {
    const text = await response.body.text();
    throw new Error(`fake API answered ${response.statusCode}: ${text}`);
  }
  return response.body;
}

const origins = new WeakMap<Agent, string>();

function originOf(agent: Agent): string {
  const origin = origins.get(agent);
  if (origin === undefined) throw new TypeError('this undici Agent was not created by the harness');
  return origin;
}

/** A plain undici Agent: the cached value is the dispatcher itself. */
export const undiciAgentKind: ClientKind<Agent> = {
  name: 'undici-agent',
  create(origin, agentOptions) {
    const agent = new Agent(agentOptions);
    origins.set(agent, origin);
    return agent;
  },
  closers: (agent) => [agent],
  async complete(agent) {
    const body = await post(agent, originOf(agent), CHAT_REQUEST);
    await body.json();
  },
  stream(agent, gateHeaders) {
    const body = post(agent, originOf(agent), { ...CHAT_REQUEST, stream: true }, gateHeaders);
    return readInBackground(async function* () {
      yield* serverSentEvents(await body);
    });
  },
};
