import { createServer } from 'node:http';
import type { BackendOptions, KindBackend } from '../client-kind.js';
import { createHolds, HOLD_HEADER, playHeld } from '../holds.js';
import { listenOnLoopback } from '../loopback.js';

/** A plain `node:http` server: `GET /ok`, and `GET /stream`, held after its first line. */
export interface NodeHttpBackend extends KindBackend {
  readonly host: string;
  readonly port: number;
  /** Lines per `/stream` response. */
  readonly chunks: number;
}

export async function startNodeHttpBackend(options: BackendOptions): Promise<NodeHttpBackend> {
  const holds = createHolds();
  const server = createServer((req, res) => {
    if (req.url !== '/stream') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const hold = req.headers[HOLD_HEADER];
    const holdId = typeof hold === 'string' ? hold : null;
    let gone = false;
    res.once('close', () => {
      gone = true;
      if (holdId !== null) holds.release(holdId);
    });
    res.writeHead(200, { 'content-type': 'text/plain' });
    void playHeld(holds, holdId, options, (index) => res.write(`part-${index}\n`), () => gone).then(() => res.end());
  });
  const loopback = await listenOnLoopback(server);
  return {
    host: '127.0.0.1',
    port: loopback.port,
    chunks: options.chunks,
    connections: loopback.connections,
    release: holds.release,
    async stop() {
      holds.releaseAll();
      await loopback.close();
    },
  };
}
