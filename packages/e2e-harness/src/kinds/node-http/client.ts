import { Agent, get } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { isError } from '../../report/classify-error.js';
import type { ErrorKind } from '../../report/error-kind.js';
import type { ClientOptions, OperationInFlight } from '../client-kind.js';
import { HOLD_HEADER } from '../holds.js';
import { followParts } from '../operation-in-flight.js';
import type { NodeHttpBackend } from './backend.js';

/** A keep-alive Agent, as an app pools its sockets to one service; a short socket timeout when asked. */
export const createAgent = (_backend: NodeHttpBackend, { idleTimeoutMs }: ClientOptions) =>
  new Agent({ keepAlive: true, ...(idleTimeoutMs !== undefined && { timeout: idleTimeoutMs }) });

function request(agent: Agent, backend: NodeHttpBackend, path: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get({ agent, host: backend.host, port: backend.port, path, headers }, (response) => {
      if (response.statusCode === 200) resolve(response);
      else reject(new Error(`GET ${path} answered ${response.statusCode}`));
    }).once('error', reject);
  });
}

async function* lines(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let buffered = '';
  for await (const part of body) {
    buffered += part.toString('utf8');
    let end: number;
    while ((end = buffered.indexOf('\n')) !== -1) {
      yield buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
    }
  }
}

export async function getOk(agent: Agent, backend: NodeHttpBackend): Promise<void> {
  const response = await request(agent, backend, '/ok');
  for await (const _part of response) {
    // Read to the end, so the socket goes back to the agent's pool.
  }
}

export function getStream(agent: Agent, backend: NodeHttpBackend, holdId: string): OperationInFlight {
  const response = request(agent, backend, '/stream', { [HOLD_HEADER]: holdId });
  return followParts(async function* () {
    yield* lines(await response);
  }, backend.chunks, 'the response', 'lines');
}

/** A response cut off when its socket was destroyed (`aborted`, `socket hang up`). */
export function classifyNodeHttpError(error: unknown): ErrorKind | undefined {
  if (!isError(error)) return undefined;
  const code: unknown = Reflect.get(error, 'code');
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') return 'stream-terminated';
  return undefined;
}
