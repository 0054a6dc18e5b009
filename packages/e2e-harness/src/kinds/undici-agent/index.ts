import type { Agent } from 'undici';
import { defineClientKind } from '../define-client-kind.js';
import { classifyUndiciError } from '../http/undici.js';
import { startOpenAIBackend } from '../openai/backend.js';
import { completeChat, createAgent, streamChat } from './client.js';

/**
 * A plain undici Agent, the cached value being the dispatcher itself; it talks to the same fake
 * OpenAI API as the openai kind (its own instance), as a gateway's raw HTTP client would.
 */
export const undiciAgentKind = defineClientKind({
  name: 'undici-agent',
  startBackend: startOpenAIBackend,
  createClient: createAgent,
  closers: (agent: Agent) => [agent],
  followUp: completeChat,
  longOperation: streamChat,
  dispose: (agent: Agent) => agent.destroy(),
  classifyError: classifyUndiciError,
});
