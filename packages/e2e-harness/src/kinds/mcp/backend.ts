import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { BackendOptions, KindBackend } from '../client-kind.js';
import { createHolds, playHeld } from '../holds.js';
import type { Holds } from '../holds.js';
import { listenOnLoopback } from '../loopback.js';

/** The `_meta` key of a `hold` tool call naming the hold it waits on. */
export const HOLD_META_KEY = 'no-close-on-evict/hold';

/** A real `McpServer` over Streamable HTTP, one session per client. */
export interface McpBackend extends KindBackend {
  /** `http://127.0.0.1:<port>/mcp` */
  readonly url: string;
  /** Progress notifications per `hold` call. */
  readonly chunks: number;
}

/**
 * Tools: `echo` answers at once; `hold` sends its first progress notification, waits for the
 * release of the hold named in its `_meta`, then sends the others and answers.
 */
function mcpServer(holds: Holds, options: BackendOptions, validator: jsonSchemaValidator): McpServer {
  const server = new McpServer({ name: 'eviction-harness', version: '1.0.0' }, { jsonSchemaValidator: validator });
  server.registerTool('echo', { description: 'Answers at once.' }, () => ({ content: [{ type: 'text', text: 'ok' }] }));
  server.registerTool('hold', { description: 'Answers once the harness releases it.' }, async (extra) => {
    const hold = extra._meta?.[HOLD_META_KEY];
    const holdId = typeof hold === 'string' ? hold : null;
    const progressToken = extra._meta?.progressToken;
    const sendProgress = (index: number) =>
      progressToken === undefined
        ? undefined
        : extra
            .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: index + 1, total: options.chunks } })
            // The client may be gone (its cache closed it): nothing to tell it then.
            .catch(() => undefined);
    await playHeld(holds, holdId, options, sendProgress, () => extra.signal.aborted);
    return { content: [{ type: 'text', text: 'released' }] };
  });
  return server;
}

export async function startMcpBackend(options: BackendOptions): Promise<McpBackend> {
  const holds = createHolds();
  // One Ajv for every session's server: building one per session is most of a session's cost.
  const validator = new AjvJsonSchemaValidator();
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const servers: McpServer[] = [];
  const httpServer = createServer((req, res) => {
    void (async () => {
      const sessionId = req.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (transport === undefined) {
        if (sessionId !== undefined) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
          return;
        }
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void sessions.set(id, created),
        });
        const server = mcpServer(holds, options, validator);
        servers.push(server);
        await server.connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  const loopback = await listenOnLoopback(httpServer);
  return {
    url: `http://127.0.0.1:${loopback.port}/mcp`,
    chunks: options.chunks,
    connections: loopback.connections,
    release: holds.release,
    async stop() {
      holds.releaseAll();
      await Promise.allSettled(servers.map((server) => server.close()));
      await loopback.close();
    },
  };
}
