import { closeClient as defaultCloseClient } from './close-client.js';
import { InMemoryCache } from './in-memory-cache.js';
import { reportsClosed } from './is-closed.js';
import { CACHE_OPTION_NAMES, describeValue, requireFunction, type InMemoryCacheOptions } from './options.js';

/** Options of a {@link ClientCache}; `defaultTtlMs` defaults to one hour here. */
export interface ClientCacheOptions<C> extends InMemoryCacheOptions {
  /**
   * Closes one owned client during `closeAll`; may return a promise. Never called on eviction.
   * @defaultValue {@link closeClient}: `close()`, `aclose()`, `destroy()` or `[Symbol.asyncDispose]()`
   */
  closeClient?: (client: C) => unknown;
  /**
   * Whether a client is already closed. A cached client that is closed is dropped (hook reason
   * `'delete'`) instead of handed out, and `closeAll` skips it.
   * @defaultValue `client.closed === true || client.destroyed === true` (undici dispatchers, streams)
   */
  isClosed?: (client: C) => boolean;
}

/**
 * A cache of clients (HTTP agents, SDK clients, pools) that never closes a client when it evicts
 * it: other code may still hold the client and have requests in flight.
 *
 * Clients built by {@link ClientCache.getOrCreate} are owned by the cache and closed exactly once
 * by {@link ClientCache.closeAll} at shutdown, whether still cached or evicted but alive. Evicted
 * ones are held only weakly, so eviction still lets them be garbage-collected. Clients given to
 * `set` belong to the caller and are never closed.
 */
export class ClientCache<C extends object> extends InMemoryCache<C> {
  protected static override readonly defaultTtlMs: number = 3_600_000;
  protected static override readonly optionNames: readonly string[] = [...CACHE_OPTION_NAMES, 'closeClient', 'isClosed'];

  readonly #closeClient: (client: C) => unknown;
  readonly #isClosed: (client: C) => boolean;
  /** Every owned client not yet closed, weakly: cached ones stay alive through the cache. */
  readonly #owned = new Set<WeakRef<C>>();
  readonly #adopted = new WeakSet<C>();
  /** Settles when every close started by any closeAll call so far has settled. */
  #closing: Promise<void> = Promise.resolve();
  // Bookkeeping only: forgets the WeakRef of a collected client. It never closes anything.
  readonly #forgetCollected = new FinalizationRegistry<WeakRef<C>>((ref) => this.#owned.delete(ref));

  constructor(options?: ClientCacheOptions<C>) {
    super(options);
    this.#closeClient =
      options?.closeClient === undefined ? defaultCloseClient : requireFunction('closeClient', options.closeClient);
    this.#isClosed = options?.isClosed === undefined ? reportsClosed : requireFunction('isClosed', options.isClosed);
  }

  /** The cached client, or `undefined`; a client that reports closed is dropped, never returned. */
  override get(key: string): C | undefined {
    const client = super.get(key);
    if (client === undefined || !this.#isClosed(client)) return client;
    super.delete(key);
    return undefined;
  }

  override has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * The cached, open client under `key`, or a new one from `factory(key)`, cached and owned by
   * this cache (closed by `closeAll`, never on eviction). With `maxSize: 0` every call builds a
   * client; each is still owned.
   */
  getOrCreate(key: string, factory: (key: string) => C): C {
    requireFunction('factory', factory);
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const client: unknown = factory(key);
    if (client === null || (typeof client !== 'object' && typeof client !== 'function')) {
      throw new TypeError(`factory must return a client object, got ${describeValue(client)}`);
    }
    this.#adopt(client as C);
    this.set(key, client as C);
    return client as C;
  }

  /**
   * Shutdown: empties the cache, then closes every owned client still alive (cached or evicted)
   * that is not already closed, each exactly once across calls, and waits for closes an earlier
   * call started. Tries all of them, then rejects with one `AggregateError` listing every
   * failure. Caller-supplied clients are removed from the cache but not closed.
   */
  async closeAll(): Promise<void> {
    const failures: unknown[] = [];
    try {
      this.clear();
    } catch (error) {
      failures.push(error);
    }
    const clients: C[] = [];
    for (const ref of this.#owned) {
      this.#owned.delete(ref);
      const client = ref.deref();
      if (client === undefined) continue;
      // Closed now: if a factory hands the same instance out again, it is owned again.
      this.#adopted.delete(client);
      clients.push(client);
    }
    const settled = Promise.allSettled(
      clients.map(async (client) => {
        if (!this.#isClosed(client)) await this.#closeClient(client);
      }),
    );
    // A concurrent call finds nothing left to close; it still returns only once the closes are done.
    const previous = this.#closing;
    this.#closing = Promise.all([previous, settled]).then(() => undefined);
    await previous;
    const results = await settled;
    for (const result of results) if (result.status === 'rejected') failures.push(result.reason);
    if (failures.length > 0) {
      throw new AggregateError(failures, `closeAll: ${failures.length} failure(s) while closing ${clients.length} client(s)`);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.closeAll();
  }

  #adopt(client: C): void {
    if (this.#adopted.has(client)) return;
    this.#adopted.add(client);
    const ref = new WeakRef(client);
    this.#owned.add(ref);
    this.#forgetCollected.register(client, ref);
  }
}
