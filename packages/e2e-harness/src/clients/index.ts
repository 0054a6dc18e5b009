import { openAIKind } from './openai-handle.js';
import { undiciAgentKind } from './undici-agent.js';
import type { ClientKind, EvictableClient } from './client-kind.js';

export type { ClientKind, EvictableClient } from './client-kind.js';

/** Names of the client kinds the harness ships. */
export type ClientKindName = 'undici-agent' | 'openai';

export const clientKinds: Record<ClientKindName, ClientKind<EvictableClient>> = {
  'undici-agent': undiciAgentKind,
  openai: openAIKind,
};
