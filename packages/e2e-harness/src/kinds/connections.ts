import type { Server, Socket } from 'node:net';
import type { ConnectionCounter } from './client-kind.js';

/**
 * Counts the connections `server` accepts and still holds open. Each socket gets a sequence
 * number, so the leak probe ignores the sockets of earlier cases.
 */
export function trackConnections(server: Server): ConnectionCounter {
  const open = new Map<Socket, number>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    open.set(socket, ++accepted);
    socket.once('close', () => open.delete(socket));
  });
  return {
    mark: () => accepted,
    openSince: (mark) => [...open.values()].filter((sequence) => sequence > mark).length,
  };
}
