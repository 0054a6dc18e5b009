/**
 * What a `ClientCache` knows about one client it created: who holds it, and where its one close
 * stands. Holds the client weakly: the cache entries and leases that use it keep it alive.
 */
export class OwnedClient<C extends object> {
  readonly ref: WeakRef<C>;
  /** Leases handed out and not released yet. */
  leases = 0;
  /** Cache entries holding the client. */
  entries = 0;
  /** `get` or `getOrCreate` returned it: code the cache cannot see may keep it without a lease. */
  heldWithoutLease = false;
  /** `closeAll` wants it closed as soon as nothing holds it. */
  retired = false;
  /** Its close started: a client is closed at most once. */
  closing = false;
  /** Its close settled; `failure` says whether it failed. */
  settled = false;
  failure: Error | undefined;
  /** `closeAll` calls waiting for its close right now: a failure none of them sees is kept for the next. */
  waiters = 0;
  #whenSettled: Promise<void> | undefined;
  #markSettled: (() => void) | undefined;

  /** `key` is the key it was created for: errors name the client by it. */
  constructor(
    readonly key: string,
    client: C,
  ) {
    this.ref = new WeakRef(client);
  }

  /** Resolves once the close settled, however it settled. */
  whenSettled(): Promise<void> {
    if (this.settled) return Promise.resolve();
    this.#whenSettled ??= new Promise((resolve) => {
      this.#markSettled = resolve;
    });
    return this.#whenSettled;
  }

  settle(failure: Error | undefined): void {
    this.settled = true;
    this.failure = failure;
    this.#markSettled?.();
  }
}
