import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { BackendOptions, KindBackend } from '../client-kind.js';
import { createHolds, playHeld } from '../holds.js';
import { listenOnLoopback } from '../loopback.js';
import type { WsMessage, WsReply } from './protocol.js';

/** A `ws` server answering JSON requests: an echo at once, a stream held after its first part. */
export interface WsBackend extends KindBackend {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  /** Parts per stream. */
  readonly chunks: number;
}

export async function startWsBackend(options: BackendOptions): Promise<WsBackend> {
  const holds = createHolds();
  const server = createServer();
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => {
    const send = (reply: WsReply) => socket.send(JSON.stringify(reply));
    const gone = () => socket.readyState !== WebSocket.OPEN;
    const heldHere = new Set<string>();
    socket.on('close', () => heldHere.forEach((holdId) => holds.release(holdId)));
    socket.on('message', (data: RawData) => {
      const request = JSON.parse(String(data)) as WsMessage;
      if (request.op === 'echo') {
        send({ id: request.id, ok: true });
        return;
      }
      heldHere.add(request.hold);
      void playHeld(holds, request.hold, options, (part) => send({ id: request.id, part }), gone).then(() => {
        if (!gone()) send({ id: request.id, done: true });
      });
    });
  });
  const loopback = await listenOnLoopback(server);
  return {
    url: `ws://127.0.0.1:${loopback.port}`,
    chunks: options.chunks,
    connections: loopback.connections,
    release: holds.release,
    async stop() {
      holds.releaseAll();
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await loopback.close();
    },
  };
}
