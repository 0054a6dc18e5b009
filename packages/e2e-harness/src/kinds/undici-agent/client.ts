import { Agent, request } from 'undici';
import type { ClientOptions, OperationInFlight } from '../client-kind.js';
import { HOLD_HEADER } from '../holds.js';
import { undiciAgentOptions } from '../http/undici.js';
import { followParts } from '../operation-in-flight.js';
import { CHAT_REQUEST } from '../openai/backend.js';
import type { OpenAIBackend } from '../openai/backend.js';

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

async function post(agent: Agent, backend: OpenAIBackend, body: object, headers: Record<string, string> = {}) {
  const response = await request(new URL('/v1/chat/completions', backend.origin), {
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

export const createAgent = (_backend: OpenAIBackend, options: ClientOptions) => new Agent(undiciAgentOptions(options));

export async function completeChat(agent: Agent, backend: OpenAIBackend): Promise<void> {
  await (await post(agent, backend, CHAT_REQUEST)).json();
}

export function streamChat(agent: Agent, backend: OpenAIBackend, holdId: string): OperationInFlight {
  const body = post(agent, backend, { ...CHAT_REQUEST, stream: true }, { [HOLD_HEADER]: holdId });
  return followParts(async function* () {
    yield* serverSentEvents(await body);
  }, backend.chunks);
}
