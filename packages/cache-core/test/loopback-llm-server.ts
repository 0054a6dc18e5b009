import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A real HTTP server on 127.0.0.1 that answers like a slow OpenAI-compatible endpoint. */
export interface LoopbackServer {
  readonly origin: string;
  close(): Promise<void>;
}

export const STREAM_CHUNKS = 5;
export const CHUNK_GAP_MS = 40;

function chunk(index: number): string {
  return JSON.stringify({
    id: 'chatcmpl-loopback',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'loopback',
    choices: [{ index: 0, delta: { content: `tok${index} ` }, finish_reason: null }],
  });
}

async function streamEvents(res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (let i = 0; i < STREAM_CHUNKS; i++) {
    res.write(`data: ${chunk(i)}\n\n`);
    await sleep(CHUNK_GAP_MS);
  }
  res.end('data: [DONE]\n\n');
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const part of req) body += String(part);
  return body;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const body = await readBody(req);
  if (url.pathname === '/slow') {
    await sleep(Number(url.searchParams.get('ms') ?? '100'));
    res.end('slow done');
  } else if (url.pathname === '/sse') {
    await streamEvents(res);
  } else if (url.pathname === '/v1/chat/completions') {
    if ((JSON.parse(body) as { stream?: boolean }).stream === true) return streamEvents(res);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-loopback',
        object: 'chat.completion',
        created: 0,
        model: 'loopback',
        choices: [{ index: 0, message: { role: 'assistant', content: 'pong' }, finish_reason: 'stop' }],
      }),
    );
  } else {
    res.end('ok');
  }
}

export async function startLoopbackServer(): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.destroy(error as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
