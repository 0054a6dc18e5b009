import type { Agent } from 'undici';
import { isError } from '../../report/classify-error.js';
import type { ErrorKind } from '../../report/error-kind.js';
import type { ClientOptions } from '../client-kind.js';

/** Agent options for a client: a short keep-alive when the harness asks for one (leak probe). */
export function undiciAgentOptions({ idleTimeoutMs }: ClientOptions): Agent.Options | undefined {
  return idleTimeoutMs === undefined ? undefined : { keepAliveTimeout: idleTimeoutMs, keepAliveMaxTimeout: idleTimeoutMs };
}

/** undici's own errors, the same through undici's exports and Node's fetch. */
export function classifyUndiciError(error: unknown): ErrorKind | undefined {
  if (!isError(error)) return undefined;
  const code: unknown = Reflect.get(error, 'code');
  if (code === 'UND_ERR_CLOSED') return 'client-closed';
  if (code === 'UND_ERR_DESTROYED') return 'client-destroyed';
  if (error.name === 'TypeError' && error.message === 'terminated') return 'stream-terminated';
  return undefined;
}
