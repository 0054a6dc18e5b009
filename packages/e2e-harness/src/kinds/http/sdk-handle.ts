import { Agent, fetch as undiciFetch } from 'undici';
import { isError } from '../../report/classify-error.js';
import type { ErrorKind } from '../../report/error-kind.js';
import type { ClientOptions } from '../client-kind.js';
import { classifyUndiciError, undiciAgentOptions } from './undici.js';

/** What an SDK (openai, Anthropic) needs to send its requests through one undici Agent. */
export interface SdkTransport {
  fetch: typeof undiciFetch;
  fetchOptions: { dispatcher: Agent };
}

/**
 * An SDK client with the undici Agent that owns its sockets. The SDKs have no `close()`, so an
 * app that wants to release the sockets closes the dispatcher: this handle does exactly that.
 */
export class SdkHandle<TSdk> {
  readonly sdk: TSdk;
  readonly dispatcher: Agent;

  constructor(build: (transport: SdkTransport) => TSdk, options: ClientOptions) {
    this.dispatcher = new Agent(undiciAgentOptions(options));
    // The SDKs' READMEs pair undici's fetch with an undici dispatcher.
    this.sdk = build({ fetch: undiciFetch, fetchOptions: { dispatcher: this.dispatcher } });
  }

  /** Graceful: in-flight requests finish, new ones fail. */
  close(): Promise<void> {
    return this.dispatcher.close();
  }

  /** Abrupt: in-flight requests fail at once. */
  destroy(): Promise<void> {
    return this.dispatcher.destroy();
  }

  get closed(): boolean {
    return this.dispatcher.closed;
  }

  get destroyed(): boolean {
    return this.dispatcher.destroyed;
  }
}

/**
 * The options both SDKs take: the harness's key, no retries (a retry would hide the failure), a
 * timeout below the harness's own bound, and undici's fetch through the handle's Agent.
 */
export function sdkOptions<TOptions>(baseURL: string, { fetch, fetchOptions }: SdkTransport): TOptions {
  const options = { apiKey: 'harness-key', baseURL, maxRetries: 0, timeout: 4000, fetch, fetchOptions };
  // undici's types and the undici-types bundled with @types/node describe the same runtime objects differently.
  return options as unknown as TOptions;
}

/** The handle and its dispatcher: closing either ends the SDK's sockets. */
export const sdkClosers = (handle: SdkHandle<unknown>): object[] => [handle, handle.dispatcher];

export const disposeSdkHandle = (handle: SdkHandle<unknown>): Promise<void> => handle.destroy();

/** undici's errors, then the SDK's generic connection error (its class name is the same in both SDKs). */
export function classifySdkError(error: unknown): ErrorKind | undefined {
  if (isError(error) && error.constructor.name.startsWith('APIConnection')) return 'connection-error';
  return classifyUndiciError(error);
}
