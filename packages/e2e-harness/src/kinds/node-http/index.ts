import type { Agent } from 'node:http';
import { defineClientKind } from '../define-client-kind.js';
import { startNodeHttpBackend } from './backend.js';
import { classifyNodeHttpError, createAgent, getOk, getStream } from './client.js';

/**
 * A `node:http` keep-alive Agent against a `node:http` server. `destroy()` ends its sockets but
 * leaves it usable: a holder's next request opens a new socket, so only the tripwire and a
 * response in flight see the close.
 */
export const nodeHttpKind = defineClientKind({
  name: 'node-http',
  startBackend: startNodeHttpBackend,
  createClient: createAgent,
  closers: (agent: Agent) => [agent],
  followUp: getOk,
  longOperation: getStream,
  dispose: (agent: Agent) => agent.destroy(),
  classifyError: classifyNodeHttpError,
});
