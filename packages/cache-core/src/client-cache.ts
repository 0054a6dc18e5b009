import { AsyncLocalStorage } from 'node:async_hooks';
import { Lease, type ClientLease } from './client-lease.js';
import { closeClient as defaultCloseClient } from './close-client.js';
import { InMemoryCache, entryRemoved, entryStored } from './in-memory-cache.js';
import { reportsClosed } from './is-closed.js';
import { describeValue, requireFunction } from './option-checks.js';
import {
  CLIENT_CACHE_OPTION_NAMES,
  readCloseAllTimeout,
  resolveClientOptions,
  type ClientCacheOptions,
  type CloseAllOptions,
  type SetOptions,
} from './options.js';
import { OwnedClient } from './owned-client.js';
import { failedClose, settledWithin, shutdownError, stillOpen } from './shutdown-report.js';

/** The caches whose `closeClient` the current async context runs inside. */
const closingFor = new AsyncLocalStorage<ReadonlySet<object>>();

/**
 * A cache of clients (HTTP agents, SDK clients, pools) that never closes a client while code
 * may still use it: eviction only makes the cache let go.
 *
 * Clients built by {@link ClientCache.getOrCreate}, {@link ClientCache.lease} or
 * {@link ClientCache.withClient} are owned by the cache and closed exactly once: by
 * {@link ClientCache.closeAll} at shutdown, or, with `closeEvicted: 'when-released'`, once an
 * evicted one is no longer leased. Evicted clients waiting for shutdown are held only weakly.
 * Clients given to `set` belong to the caller and are never closed.
 */
export class ClientCache<C extends object> extends InMemoryCache<C> {
  protected static override readonly defaultTtlMs: number = 3_600_000;
  protected static override readonly optionNames: readonly string[] = CLIENT_CACHE_OPTION_NAMES;

  readonly #closeClient: (client: C) => unknown;
  readonly #isClosed: (client: C) => boolean;
  readonly #closeWhenReleased: boolean;
  readonly #owned = new WeakMap<C, OwnedClient<C>>();
  /** Owned clients whose close has not settled (or not started): what `closeAll` waits for. */
  readonly #open = new Set<OwnedClient<C>>();
  // Bookkeeping only: forgets a collected client. It never closes anything.
  readonly #forgetCollected = new FinalizationRegistry<OwnedClient<C>>((owned) => this.#open.delete(owned));
  /** Failures of closes no `closeAll` was waiting for; the next `closeAll` reports them. */
  #unreported: Error[] = [];
  /** `closeAll` calls in progress: while any runs, no client is created. */
  #shutdowns = 0;
  readonly #endLease = (owned: OwnedClient<C>): void => {
    owned.leases -= 1;
    this.#release(owned);
  };

  constructor(options?: ClientCacheOptions<C>) {
    super(options);
    const resolved = resolveClientOptions(options);
    this.#closeClient = resolved.closeClient ?? defaultCloseClient;
    this.#isClosed = resolved.isClosed ?? reportsClosed;
    this.#closeWhenReleased = resolved.closeEvicted === 'when-released';
  }

  /**
   * The cached client, or `undefined`; a client that reports closed is dropped, never returned.
   * With `closeEvicted: 'when-released'`, a client returned here is closed at shutdown only.
   */
  override get(key: string): C | undefined {
    const client = this.#cachedOpen(key);
    if (client !== undefined && this.#closeWhenReleased) this.#markHeldWithoutLease(client);
    return client;
  }

  override has(key: string): boolean {
    return this.#cachedOpen(key) !== undefined;
  }

  /**
   * Caches a caller-supplied client (never closed by this cache), or an owned one again. A client
   * whose close this cache has started cannot be cached; one whose close has settled is the
   * caller's from then on.
   */
  override set(key: string, client: C, options?: SetOptions): void {
    const owned = this.#owned.get(client);
    if (owned?.closing === true) {
      if (!owned.settled) throw new Error(`set: the client created for ${JSON.stringify(owned.key)} is being closed by this cache`);
      this.#owned.delete(client);
    }
    super.set(key, client, options);
  }

  /**
   * The cached, open client under `key`, or a new one from `factory(key)`, cached and owned by
   * this cache. With `maxSize: 0` every call builds a client; each is still owned. Throws while
   * `closeAll` runs.
   */
  getOrCreate(key: string, factory: (key: string) => C): C {
    const client = this.#obtain('getOrCreate', key, factory);
    if (this.#closeWhenReleased) this.#markHeldWithoutLease(client);
    return client;
  }

  /**
   * Borrows the client under `key` (built by `factory(key)` if absent, as in `getOrCreate`):
   * the cache does not close it, whatever evicts it, until the lease is released. Throws while
   * `closeAll` runs. See {@link ClientLease}.
   */
  lease(key: string, factory: (key: string) => C): ClientLease<C> {
    const client = this.#obtain('lease', key, factory);
    const owned = this.#owned.get(client);
    if (owned !== undefined) owned.leases += 1;
    return new Lease(client, owned, this.#endLease);
  }

  /**
   * Leases the client under `key`, passes it to `fn`, and releases the lease when `fn`'s result
   * settles: consume a stream inside `fn`, not after. Resolves or rejects as `fn` does.
   */
  async withClient<R>(key: string, factory: (key: string) => C, fn: (client: C) => R | PromiseLike<R>): Promise<Awaited<R>> {
    requireFunction('fn', fn);
    const lease = this.lease(key, factory);
    try {
      return await fn(lease.client);
    } finally {
      lease.release();
    }
  }

  /**
   * Shutdown. Empties the cache, then closes every owned client still alive (cached, evicted or
   * leased) exactly once: unused ones at once, leased ones when their last lease is released.
   * Settles when all of them are closed, or after `timeoutMs` (default 10 s), whichever comes
   * first: it cannot hang on a close that never settles.
   *
   * Rejects with one `AggregateError` holding every problem: each close that failed (an `Error`
   * naming the client's key, with the failure as `cause`), each close that did not settle in time,
   * each client still leased, the failures of earlier closes no call had reported (closes on
   * release), and errors thrown by `onEvict` while emptying the cache. Concurrent calls each wait
   * and each report the failures they saw. A call made from inside a `closeClient` returns at
   * once without waiting (the call that runs that close waits). While a call runs,
   * `getOrCreate`, `lease` and `withClient` throw; afterwards the cache can be used again and the
   * next `closeAll` closes what was created since. Caller-supplied clients are removed from the
   * cache but not closed.
   */
  async closeAll(options?: CloseAllOptions): Promise<void> {
    const timeoutMs = readCloseAllTimeout(options);
    if (closingFor.getStore()?.has(this)) {
      // The shutdown that runs this close waits for it: waiting here would wait for ourselves.
      // What goes wrong here is reported by the next call.
      this.#retireAll(this.#unreported);
      return;
    }
    this.#shutdowns += 1;
    try {
      const problems: unknown[] = this.#unreported;
      this.#unreported = [];
      const pending = this.#retireAll(problems);
      for (const owned of pending) owned.waiters += 1;
      await settledWithin(
        pending.map((owned) => owned.whenSettled()),
        timeoutMs,
      );
      for (const owned of pending) {
        owned.waiters -= 1;
        if (!owned.settled) problems.push(stillOpen(owned, timeoutMs));
        else if (owned.failure !== undefined) problems.push(owned.failure);
      }
      if (problems.length > 0) throw shutdownError(problems);
    } finally {
      this.#shutdowns -= 1;
    }
  }

  /** `closeAll()` with its default timeout, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.closeAll();
  }

  protected override [entryStored](client: C): void {
    const owned = this.#owned.get(client);
    if (owned !== undefined) owned.entries += 1;
  }

  protected override [entryRemoved](client: C): void {
    this.#onEvictEntry(client);
  }

  /**
   * Every eviction path (size, ttl, delete, overwrite, clear) ends here: the entry no longer
   * holds the client, so the cache lets go of it. Closing is left to {@link ClientCache.#release}.
   */
  #onEvictEntry(client: C): void {
    const owned = this.#owned.get(client);
    if (owned === undefined) return;
    owned.entries -= 1;
    this.#release(owned);
  }

  /**
   * The one place an owned client is closed. Runs whenever something lets go of it: a lease
   * released, a cache entry gone, `closeAll` retiring it. Closes it only when nothing holds it
   * (no lease, no cache entry) and it is due: retired by `closeAll`, or evicted in
   * `'when-released'` mode having only ever been handed out by `lease`.
   */
  #release(owned: OwnedClient<C>): void {
    if (owned.leases > 0) return;
    if (owned.entries > 0) return;
    const due = owned.retired || (this.#closeWhenReleased && !owned.heldWithoutLease);
    if (!due || owned.closing) return;
    owned.closing = true;
    const client = owned.ref.deref();
    if (client === undefined) {
      this.#settle(owned, undefined);
      return;
    }
    let closed: Promise<unknown>;
    try {
      closed = Promise.resolve(closingFor.run(this.#closingScope(), () => this.#closeIfOpen(client)));
    } catch (error) {
      closed = Promise.reject(error);
    }
    closed.then(
      () => this.#settle(owned, undefined),
      (error: unknown) => this.#settle(owned, failedClose(owned.key, error)),
    );
  }

  #closeIfOpen(client: C): unknown {
    return this.#isClosed(client) ? undefined : this.#closeClient(client);
  }

  /** This cache added to the caches whose close the current context runs inside. */
  #closingScope(): ReadonlySet<object> {
    return new Set([...(closingFor.getStore() ?? []), this]);
  }

  #settle(owned: OwnedClient<C>, failure: Error | undefined): void {
    this.#open.delete(owned);
    this.#forgetCollected.unregister(owned);
    owned.settle(failure);
    if (failure !== undefined && owned.waiters === 0) this.#unreported.push(failure);
  }

  /** Empties the cache and retires every owned client; returns those whose close has not settled. */
  #retireAll(problems: unknown[]): OwnedClient<C>[] {
    try {
      this.clear();
    } catch (error) {
      problems.push(error);
    }
    for (const owned of this.#open) {
      owned.retired = true;
      this.#release(owned);
    }
    return [...this.#open];
  }

  /** The cached client if it is open; a closed one is dropped (reason `'delete'`). */
  #cachedOpen(key: string): C | undefined {
    const client = super.get(key);
    if (client === undefined || !this.#isClosed(client)) return client;
    super.delete(key);
    return undefined;
  }

  #markHeldWithoutLease(client: C): void {
    const owned = this.#owned.get(client);
    if (owned !== undefined) owned.heldWithoutLease = true;
  }

  /** The cached open client, or a new owned one from `factory`. */
  #obtain(method: string, key: string, factory: (key: string) => C): C {
    requireFunction('factory', factory);
    if (this.#shutdowns > 0) {
      throw new Error(`${method}(${describeValue(key)}): closeAll() is in progress; no client is handed out until it settles`);
    }
    const cached = this.#cachedOpen(key);
    if (cached !== undefined) return cached;
    const client: unknown = factory(key);
    if (client === null || (typeof client !== 'object' && typeof client !== 'function')) {
      throw new TypeError(`factory must return a client object, got ${describeValue(client)}`);
    }
    this.#adopt(key, client as C);
    this.set(key, client as C);
    return client as C;
  }

  /** Owns what `factory` returned; a closed client is refused, never handed out. */
  #adopt(key: string, client: C): void {
    if (this.#isClosed(client)) {
      throw new Error(`factory returned a client that is already closed, for key ${JSON.stringify(key)}`);
    }
    const known = this.#owned.get(client);
    if (known !== undefined && !known.closing) return;
    if (known !== undefined && !known.settled) {
      throw new Error(`factory returned a client this cache is still closing, for key ${JSON.stringify(key)}`);
    }
    // New, or closed by this cache earlier and open again (a pool that reopens): owned anew.
    const owned = new OwnedClient(key, client);
    this.#owned.set(client, owned);
    this.#open.add(owned);
    this.#forgetCollected.register(client, owned, owned);
  }
}
