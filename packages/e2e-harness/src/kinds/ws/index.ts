import type { WebSocket } from 'ws';
import { defineClientKind } from '../define-client-kind.js';
import { startWsBackend } from './backend.js';
import { classifyWsError, createSocket, echo, openSocket, stream } from './client.js';

/** A `ws` WebSocket against a `ws` server: the cached value is the socket itself. */
export const wsKind = defineClientKind({
  name: 'ws',
  startBackend: startWsBackend,
  createClient: createSocket,
  connect: openSocket,
  closers: (socket: WebSocket) => [socket],
  followUp: echo,
  longOperation: stream,
  dispose: (socket: WebSocket) => socket.terminate(),
  classifyError: classifyWsError,
});
