import type { EvictionReason } from '../src/index.js';
import type { Eviction } from './helpers.js';

/** One step of a random sequence run against a cache and its model. */
export type Op =
  | { kind: 'set'; key: string; value: number; ttlMs: number | undefined }
  | { kind: 'get' | 'has' | 'delete'; key: string }
  | { kind: 'clear' | 'evictExpired' }
  | { kind: 'advance'; ms: number };

export interface ModelEntry {
  value: number;
  expiresAt: number;
  order: number;
}

/**
 * The specification of InMemoryCache, written the slow and obvious way: linear scans and a
 * write counter for ties, no lists and no heap. Values are numbers (indexes into a pool).
 */
export class CacheModel {
  readonly entries = new Map<string, ModelEntry>();
  readonly evictions: Eviction<number>[] = [];
  now = 0;
  #writes = 0;

  constructor(
    readonly maxSize: number,
    readonly defaultTtlMs: number,
  ) {}

  apply(op: Op): unknown {
    switch (op.kind) {
      case 'advance':
        this.now += op.ms;
        return undefined;
      case 'get':
        return this.live(op.key)?.value;
      case 'has':
        return this.live(op.key) !== undefined;
      case 'delete':
        return this.delete(op.key);
      case 'clear': {
        const all = [...this.entries];
        this.entries.clear();
        for (const [key, entry] of all) this.#log(key, entry, 'clear');
        return undefined;
      }
      case 'evictExpired':
        return this.#removeExpired().length;
      case 'set':
        this.set(op.key, op.value, op.ttlMs ?? this.defaultTtlMs);
        return undefined;
    }
  }

  /** The entry under `key` if unexpired; an expired one is removed (reason 'ttl'). */
  live(key: string): ModelEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expiresAt > this.now) return entry;
    this.entries.delete(key);
    this.#log(key, entry, 'ttl');
    return undefined;
  }

  delete(key: string): boolean {
    const entry = this.live(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.#log(key, entry, 'delete');
    return true;
  }

  set(key: string, value: number, ttlMs: number): void {
    if (this.maxSize === 0) return;
    const fresh = { value, expiresAt: this.now + ttlMs, order: this.#writes++ };
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      this.entries.set(key, fresh);
      if (existing.expiresAt <= this.now) this.#log(key, existing, 'ttl');
      else if (existing.value !== value) this.#log(key, existing, 'overwrite');
      return;
    }
    if (this.entries.size >= this.maxSize) {
      // Room for a new key: the entry that expires soonest leaves, as 'ttl' if it has expired.
      const [victimKey, victim] = this.#byExpiry()[0] as [string, ModelEntry];
      this.entries.delete(victimKey);
      this.entries.set(key, fresh);
      this.#log(victimKey, victim, victim.expiresAt <= this.now ? 'ttl' : 'size');
      return;
    }
    this.entries.set(key, fresh);
  }

  #byExpiry(): [string, ModelEntry][] {
    return [...this.entries].sort(([, a], [, b]) => a.expiresAt - b.expiresAt || a.order - b.order);
  }

  #removeExpired(): [string, ModelEntry][] {
    const expired = this.#byExpiry().filter(([, entry]) => entry.expiresAt <= this.now);
    for (const [key] of expired) this.entries.delete(key);
    for (const [key, entry] of expired) this.#log(key, entry, 'ttl');
    return expired;
  }

  #log(key: string, entry: ModelEntry, reason: EvictionReason): void {
    this.evictions.push({ key, value: entry.value, reason });
  }
}
