// A downstream app's cache of model clients, one per provider key, built on lru-cache.
// Eviction only retires a client: holders keep using it, and it is closed at shutdown.
import { closeClient } from '@no-close-on-evict/cache-core';
import { LRUCache } from 'lru-cache';

/** Evicted clients, held weakly so eviction still frees memory; closed together at shutdown. */
export class RetiredClients {
  #refs = new Set();

  add(client) {
    this.#refs.add(new WeakRef(client));
  }

  async closeAll() {
    const alive = [...this.#refs].map((ref) => ref.deref()).filter((client) => client !== undefined);
    this.#refs.clear();
    await Promise.all(alive.map((client) => closeClient(client)));
  }
}

/** The lru-cache options this app uses: by default an hour per client, 100 providers at most. */
export function modelClientCacheOptions({ max = 100, ttl = 60 * 60 * 1000, retired = new RetiredClients() } = {}) {
  return { max, ttl, dispose: (client) => retired.add(client) };
}

export class ModelClients {
  #retired = new RetiredClients();
  #cache;

  constructor({ max, ttl } = {}) {
    this.#cache = new LRUCache(modelClientCacheOptions({ max, ttl, retired: this.#retired }));
  }

  /** The cached client for `provider`, or a new one from `create`. */
  get(provider, create) {
    let client = this.#cache.get(provider);
    if (client === undefined) {
      client = create(provider);
      this.#cache.set(provider, client);
    }
    return client;
  }

  /** At shutdown: clearing retires the cached clients too, so each client is closed once. */
  async close() {
    this.#cache.clear();
    await this.#retired.closeAll();
  }
}
