import { defineClientKind } from '../define-client-kind.js';
import { startMcpBackend } from './backend.js';
import { callEcho, callHold, classifyMcpError, connectMcpClient, createMcpClient, disposeMcpClient, mcpClosers } from './client.js';

/**
 * The real `@modelcontextprotocol/sdk` `Client` over Streamable HTTP (its own undici Agent) to a
 * real `McpServer`. Besides the harness's verbs, the tripwire watches `terminateSession`.
 */
export const mcpKind = defineClientKind({
  name: 'mcp',
  startBackend: startMcpBackend,
  createClient: createMcpClient,
  connect: connectMcpClient,
  closers: mcpClosers,
  closingVerbs: ['terminateSession'],
  followUp: callEcho,
  longOperation: callHold,
  dispose: disposeMcpClient,
  classifyError: classifyMcpError,
});
