import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { StreamableHTTPClientTransportOptions } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { Agent, fetch as undiciFetch } from 'undici';
import { isError } from '../../report/classify-error.js';
import type { ErrorKind } from '../../report/error-kind.js';
import type { ClientOptions, OperationInFlight } from '../client-kind.js';
import { classifyUndiciError, undiciAgentOptions } from '../http/undici.js';
import { countParts } from '../operation-in-flight.js';
import { HOLD_META_KEY } from './backend.js';
import type { McpBackend } from './backend.js';

// Each Client builds its own Ajv by default, a large part of its cost; one is enough for the harness's clients.
const jsonSchemaValidator = new AjvJsonSchemaValidator();

/** What a client sends through: its transport, and the undici Agent that owns its sockets. */
const transports = new WeakMap<Client, { transport: StreamableHTTPClientTransport; agent: Agent }>();

function partsOf(client: Client) {
  const parts = transports.get(client);
  if (!parts) throw new TypeError('this MCP client was not created by the harness');
  return parts;
}

export function createMcpClient(backend: McpBackend, options: ClientOptions): Client {
  const agent = new Agent(undiciAgentOptions(options));
  const fetch: StreamableHTTPClientTransportOptions['fetch'] = (url, init) =>
    // undici's types and the DOM types the SDK uses describe the same runtime objects differently.
    undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
  const transport = new StreamableHTTPClientTransport(new URL(backend.url), { fetch });
  const client = new Client({ name: 'eviction-harness', version: '1.0.0' }, { jsonSchemaValidator });
  transports.set(client, { transport, agent });
  return client;
}

export const connectMcpClient = (client: Client) => client.connect(partsOf(client).transport);

/** The client and its transport: closing either ends the session's streams. */
export const mcpClosers = (client: Client): object[] => [client, partsOf(client).transport];

export async function callEcho(client: Client): Promise<void> {
  await client.callTool({ name: 'echo' });
}

export function callHold(client: Client, backend: McpBackend, holdId: string): OperationInFlight {
  const counter = countParts(backend.chunks, 'the tool call', 'progress notifications');
  const finished = client
    .callTool({ name: 'hold', _meta: { [HOLD_META_KEY]: holdId } }, undefined, { onprogress: () => counter.part() })
    .then(() => counter.end());
  return { started: counter.started, finished };
}

export async function disposeMcpClient(client: Client): Promise<void> {
  await client.close();
  await partsOf(client).agent.destroy();
}

export function classifyMcpError(error: unknown): ErrorKind | undefined {
  if (error instanceof McpError && error.code === Number(ErrorCode.ConnectionClosed)) return 'stream-terminated';
  if (isError(error) && error.message === 'Not connected') return 'client-closed';
  return classifyUndiciError(error);
}
