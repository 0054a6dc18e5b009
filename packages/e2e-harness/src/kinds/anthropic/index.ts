import { defineClientKind } from '../define-client-kind.js';
import { classifySdkError, disposeSdkHandle, sdkClosers } from '../http/sdk-handle.js';
import { startAnthropicBackend } from './backend.js';
import { createAnthropicHandle, createMessage, streamMessage } from './client.js';

/** The real `@anthropic-ai/sdk` routed through its own undici Agent, against a fake Messages API. */
export const anthropicKind = defineClientKind({
  name: 'anthropic',
  startBackend: startAnthropicBackend,
  createClient: createAnthropicHandle,
  closers: sdkClosers,
  followUp: createMessage,
  longOperation: streamMessage,
  dispose: disposeSdkHandle,
  classifyError: classifySdkError,
});
