import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getResponse } from 'msw';
import type { RequestHandler } from 'msw';
import type { BackendOptions, KindBackend } from '../client-kind.js';
import type { Holds } from '../holds.js';
import { listenOnLoopback } from '../loopback.js';
import type { Loopback } from '../loopback.js';

/**
 * A real `node:http` server on 127.0.0.1 answering from msw handlers. Clients reach it over
 * real sockets through their own dispatcher, so a closed dispatcher fails here as it would in
 * production (msw interception alone answers even through a closed undici Agent).
 */
export interface MswLoopbackServer extends Loopback {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

async function toFetchRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
  return new Request(new URL(req.url ?? '/', origin), { method, headers, body });
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // A client that goes away mid-stream cancels the body, which frees any held stream.
  res.once('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done || res.destroyed) break;
    res.write(value);
  }
  res.end();
}

export async function startMswLoopbackServer(handlers: RequestHandler[]): Promise<MswLoopbackServer> {
  let origin = '';
  const server = createServer((req, res) => {
    void (async () => {
      const response = await getResponse(handlers, await toFetchRequest(req, origin));
      if (!response) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`no handler for ${req.method} ${req.url}`);
        return;
      }
      await writeResponse(response, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  const loopback = await listenOnLoopback(server);
  origin = `http://127.0.0.1:${loopback.port}`;
  return { ...loopback, origin };
}

/** A fake HTTP API: msw handlers behind a loopback server, its long operations held by `holds`. */
export interface MswBackend extends KindBackend {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Parts per held stream. */
  readonly chunks: number;
}

export async function startMswBackend(handlers: RequestHandler[], holds: Holds, options: BackendOptions): Promise<MswBackend> {
  const server = await startMswLoopbackServer(handlers);
  return {
    origin: server.origin,
    chunks: options.chunks,
    connections: server.connections,
    release: holds.release,
    async stop() {
      holds.releaseAll();
      await server.close();
    },
  };
}
