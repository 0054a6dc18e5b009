import Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions as AnthropicOptions } from '@anthropic-ai/sdk';
import type { ClientOptions, OperationInFlight } from '../client-kind.js';
import { HOLD_HEADER } from '../holds.js';
import { SdkHandle, sdkOptions } from '../http/sdk-handle.js';
import { followParts } from '../operation-in-flight.js';
import type { AnthropicBackend } from './backend.js';

const MESSAGE_REQUEST = {
  model: 'harness-model',
  max_tokens: 16,
  messages: [{ role: 'user' as const, content: 'ping' }],
};

export type AnthropicHandle = SdkHandle<Anthropic>;

export function createAnthropicHandle(backend: AnthropicBackend, options: ClientOptions): AnthropicHandle {
  return new SdkHandle((transport) => new Anthropic(sdkOptions<AnthropicOptions>(backend.origin, transport)), options);
}

export async function createMessage(handle: AnthropicHandle): Promise<void> {
  await handle.sdk.messages.create(MESSAGE_REQUEST);
}

export function streamMessage(handle: AnthropicHandle, backend: AnthropicBackend, holdId: string): OperationInFlight {
  const stream = handle.sdk.messages.create({ ...MESSAGE_REQUEST, stream: true }, { headers: { [HOLD_HEADER]: holdId } });
  return followParts(
    async function* () {
      for await (const event of await stream) if (event.type === 'content_block_delta') yield event;
    },
    backend.chunks,
    'the message stream',
    'text deltas',
  );
}
