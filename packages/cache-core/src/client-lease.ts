/**
 * A client borrowed from a `ClientCache`. While any lease on a client is held, the cache never
 * closes it, whatever evicts it. `using lease = cache.lease(key, factory)` releases it at the
 * end of the block.
 */
export interface ClientLease<C> extends Disposable {
  /** The leased client, open when the lease was taken. */
  readonly client: C;
  /**
   * Ends the lease. A function bound to its lease (`stream.once('close', lease.release)` works).
   * Releasing twice, or after `closeAll`, is harmless: only the first call counts. Releasing the
   * last lease on a client that is due to be closed (evicted with `closeEvicted: 'when-released'`,
   * or retired by `closeAll`) closes it; a failure of that close is reported by the next `closeAll`.
   */
  readonly release: () => void;
}

/** A lease as `ClientCache` hands it out; `end` tells the cache, once, that it was released. */
export class Lease<C, H> implements ClientLease<C> {
  readonly client: C;
  #holding: H | undefined;
  readonly #end: (holding: H) => void;

  constructor(client: C, holding: H | undefined, end: (holding: H) => void) {
    this.client = client;
    this.#holding = holding;
    this.#end = end;
  }

  readonly release = (): void => {
    const holding = this.#holding;
    if (holding === undefined) return;
    this.#holding = undefined;
    this.#end(holding);
  };

  [Symbol.dispose](): void {
    this.release();
  }
}
