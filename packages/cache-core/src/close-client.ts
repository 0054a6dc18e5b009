import { describeValue } from './option-checks.js';

type CloseMethod = 'close' | 'aclose' | 'destroy' | 'end' | typeof Symbol.asyncDispose;

/**
 * Tried in this order: a graceful `close` before an abrupt `destroy`; `end` after `destroy`
 * because on a socket or stream it only ends the writable side, while for a client that has
 * nothing else (a `pg` Pool or Client) it is the close.
 */
const CLOSE_METHODS: readonly CloseMethod[] = ['close', 'aclose', 'destroy', 'end', Symbol.asyncDispose];

/**
 * The default way `ClientCache` closes one owned client (at shutdown, or once released): calls
 * the first of `close()`, `aclose()`, `destroy()`, `end()`, `[Symbol.asyncDispose]()` the
 * client has and awaits it. A client with none of them is an error, not a silent leak: configure
 * `closeClient` (an OpenAI SDK client owns no sockets; close its dispatcher instead).
 */
export async function closeClient(client: unknown): Promise<void> {
  if (client !== null && (typeof client === 'object' || typeof client === 'function')) {
    const methods = client as Partial<Record<CloseMethod, unknown>>;
    for (const name of CLOSE_METHODS) {
      const method = methods[name];
      if (typeof method === 'function') {
        await (method as () => unknown).call(client);
        return;
      }
    }
  }
  throw new TypeError(
    `closeClient: ${describeValue(client)} has no close(), aclose(), destroy(), end() or [Symbol.asyncDispose](); ` +
      'pass a closeClient option that knows how to close it',
  );
}
