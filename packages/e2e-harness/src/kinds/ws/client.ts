import { once } from 'node:events';
import { WebSocket } from 'ws';
import { isError } from '../../report/classify-error.js';
import type { ErrorKind } from '../../report/error-kind.js';
import type { OperationInFlight } from '../client-kind.js';
import { countParts } from '../operation-in-flight.js';
import type { WsBackend } from './backend.js';
import type { WsMessage, WsReply, WsRequest } from './protocol.js';

/** The socket closed while a request waited for its reply. */
export class WebSocketClosedError extends Error {
  override name = 'WebSocketClosedError';

  constructor(readonly code: number) {
    super(`the WebSocket closed (code ${code}) before the reply`);
  }
}

export function createSocket(backend: WsBackend): WebSocket {
  const socket = new WebSocket(backend.url);
  // Errors reach the pending request through 'close'; an unhandled 'error' event would throw.
  socket.on('error', () => undefined);
  return socket;
}

export async function openSocket(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.OPEN) return;
  const closed = once(socket, 'close').then(([code]) => {
    throw new WebSocketClosedError(code as number);
  });
  await Promise.race([once(socket, 'open'), closed]);
  closed.catch(() => undefined);
}

let lastId = 0;

/** Sends `request` and passes each reply to `onReply` until it returns true (the last reply). */
function exchange(socket: WebSocket, request: WsRequest, onReply: (reply: WsReply) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const id = ++lastId;
    const stop = () => {
      socket.off('message', onMessage);
      socket.off('close', onClose);
    };
    const onMessage = (data: unknown) => {
      const reply = JSON.parse(String(data)) as WsReply;
      if (reply.id === id && onReply(reply)) {
        stop();
        resolve();
      }
    };
    const onClose = (code: number) => {
      stop();
      reject(new WebSocketClosedError(code));
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    // A socket that is closing or closed reports it here: "WebSocket is not open: readyState 3 (CLOSED)".
    const message: WsMessage = { ...request, id };
    socket.send(JSON.stringify(message), (error) => {
      if (error) {
        stop();
        reject(error);
      }
    });
  });
}

export const echo = (socket: WebSocket): Promise<void> => exchange(socket, { op: 'echo' }, () => true);

export function stream(socket: WebSocket, backend: WsBackend, holdId: string): OperationInFlight {
  const counter = countParts(backend.chunks, 'the stream', 'messages');
  const finished = exchange(socket, { op: 'stream', hold: holdId }, (reply) => {
    if ('part' in reply) counter.part();
    return 'done' in reply;
  }).then(() => counter.end());
  return { started: counter.started, finished };
}

export function classifyWsError(error: unknown): ErrorKind | undefined {
  if (error instanceof WebSocketClosedError) return 'stream-terminated';
  if (isError(error) && /^WebSocket is not open: readyState [23]/.test(error.message)) return 'client-closed';
  return undefined;
}
