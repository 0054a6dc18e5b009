import { describeValue } from './option-checks.js';

type CloseMethod = 'close' | 'aclose' | 'destroy' | typeof Symbol.asyncDispose;

/** Tried in this order: a graceful `close` before an abrupt `destroy`. */
const CLOSE_METHODS: readonly CloseMethod[] = ['close', 'aclose', 'destroy', Symbol.asyncDispose];

/**
 * The default way `ClientCache.closeAll` closes one owned client, at shutdown only: calls the
 * first of `close()`, `aclose()`, `destroy()`, `[Symbol.asyncDispose]()` the client has and
 * awaits it. A client with none of them is an error, not a silent leak: configure
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
    `closeClient: ${describeValue(client)} has no close(), aclose(), destroy() or [Symbol.asyncDispose](); ` +
      'pass a closeClient option that knows how to close it',
  );
}
