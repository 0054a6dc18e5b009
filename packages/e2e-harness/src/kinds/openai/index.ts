import { defineClientKind } from '../define-client-kind.js';
import { classifySdkError, disposeSdkHandle, sdkClosers } from '../http/sdk-handle.js';
import { startOpenAIBackend } from './backend.js';
import { completeChat, createOpenAIHandle, streamChat } from './client.js';

/** The real `openai` SDK routed through its own undici Agent, against a fake chat-completions API. */
export const openAIKind = defineClientKind({
  name: 'openai',
  startBackend: startOpenAIBackend,
  createClient: createOpenAIHandle,
  closers: sdkClosers,
  followUp: completeChat,
  longOperation: streamChat,
  dispose: disposeSdkHandle,
  classifyError: classifySdkError,
});
