import OpenAI from 'openai';
import type { ClientOptions as OpenAIOptions } from 'openai';
import type { ClientOptions, OperationInFlight } from '../client-kind.js';
import { SdkHandle, sdkOptions } from '../http/sdk-handle.js';
import { HOLD_HEADER } from '../holds.js';
import { followParts } from '../operation-in-flight.js';
import { CHAT_REQUEST } from './backend.js';
import type { OpenAIBackend } from './backend.js';

export type OpenAIHandle = SdkHandle<OpenAI>;

export function createOpenAIHandle(backend: OpenAIBackend, options: ClientOptions): OpenAIHandle {
  return new SdkHandle((transport) => new OpenAI(sdkOptions<OpenAIOptions>(`${backend.origin}/v1`, transport)), options);
}

export async function completeChat(handle: OpenAIHandle): Promise<void> {
  await handle.sdk.chat.completions.create(CHAT_REQUEST);
}

export function streamChat(handle: OpenAIHandle, backend: OpenAIBackend, holdId: string): OperationInFlight {
  const stream = handle.sdk.chat.completions.create({ ...CHAT_REQUEST, stream: true }, { headers: { [HOLD_HEADER]: holdId } });
  return followParts(async function* () {
    yield* await stream;
  }, backend.chunks);
}
