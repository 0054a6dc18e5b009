import OpenAI from 'openai';
import type { ClientOptions } from 'openai';
import { Agent, fetch as undiciFetch } from 'undici';
import { CHAT_REQUEST, readInBackground } from './client-kind.js';
import type { ClientKind } from './client-kind.js';

/**
 * An OpenAI SDK client with the undici Agent that owns its sockets. The SDK has no `close()`,
 * so an app that wants to release the sockets closes the dispatcher: this handle does exactly that.
 */
export class OpenAIClientHandle {
  readonly sdk: OpenAI;
  readonly dispatcher: Agent;

  constructor(origin: string, agentOptions?: Agent.Options) {
    this.dispatcher = new Agent(agentOptions);
    this.sdk = new OpenAI({
      apiKey: 'harness-key',
      baseURL: `${origin}/v1`,
      maxRetries: 0,
      timeout: 10_000,
      // undici 7's types and the undici-types bundled with @types/node describe the same runtime
      // objects differently; the SDK's README pairs undici's fetch with an undici dispatcher.
      fetch: undiciFetch as unknown as ClientOptions['fetch'],
      fetchOptions: { dispatcher: this.dispatcher } as unknown as ClientOptions['fetchOptions'],
    });
  }

  /** Graceful: in-flight requests finish, new ones fail. */
  close(): Promise<void> {
    return this.dispatcher.close();
  }

  /** Abrupt: in-flight requests fail at once. */
  destroy(): Promise<void> {
    return this.dispatcher.destroy();
  }

  get closed(): boolean {
    return this.dispatcher.closed;
  }

  get destroyed(): boolean {
    return this.dispatcher.destroyed;
  }
}

/** The real `openai` SDK routed through its own undici Agent. */
export const openAIKind: ClientKind<OpenAIClientHandle> = {
  name: 'openai',
  create: (origin, agentOptions) => new OpenAIClientHandle(origin, agentOptions),
  closers: (handle) => [handle, handle.dispatcher],
  async complete(handle) {
    await handle.sdk.chat.completions.create(CHAT_REQUEST);
  },
  stream(handle, gateHeaders) {
    const stream = handle.sdk.chat.completions.create(
      { ...CHAT_REQUEST, stream: true },
      { headers: gateHeaders },
    );
    return readInBackground(async function* () {
      yield* await stream;
    });
  },
};
