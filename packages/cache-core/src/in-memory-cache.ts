import { ExpiryHeap, type Expiring } from './expiry-heap.js';
import {
  CACHE_OPTION_NAMES,
  keyError,
  readSetTtl,
  resolveCacheOptions,
  type InMemoryCacheOptions,
  type SetOptions,
} from './options.js';

/** Why an entry left the cache. */
export type EvictionReason = 'size' | 'ttl' | 'delete' | 'overwrite' | 'clear';

class Entry<V> implements Expiring {
  heapIndex = -1;
  constructor(
    readonly key: string,
    public value: V,
    public expiresAt: number,
    public order: number,
  ) {}
}

const NOTHING_REMOVED: readonly never[] = [];

/** Surfaces hook failures after every hook of one operation has run. */
function rethrow(errors: readonly unknown[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} onEvict calls threw`);
}

/**
 * A size-bounded TTL cache with string keys, modelled on LiteLLM's `InMemoryCache`.
 *
 * - `get` never refreshes a TTL (this is not an LRU); an expired entry is removed when touched.
 * - When full, a new key first removes every expired entry, then the entry that expires soonest
 *   (ties: the oldest write).
 * - Every removal, whatever its cause, calls {@link InMemoryCache.onEvict} exactly once, after the
 *   entry is gone: the one place a subclass observes evictions.
 *
 * Costs: `get`/`has` O(1); `set`/`delete` O(log n); removing k expired entries O(k log n).
 */
export class InMemoryCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #heap = new ExpiryHeap<Entry<V>>();
  readonly #maxSize: number;
  readonly #defaultTtlMs: number;
  readonly #clock: () => number;
  #writes = 0;

  constructor(options?: InMemoryCacheOptions) {
    const resolved = resolveCacheOptions(options, new.target.defaultTtlMs, new.target.name, new.target.optionNames);
    this.#maxSize = resolved.maxSize;
    this.#defaultTtlMs = resolved.defaultTtlMs;
    this.#clock = resolved.clock;
  }

  /** The `defaultTtlMs` used when the options give none; subclasses override it. */
  protected static readonly defaultTtlMs: number = 600_000;

  /** Every option key the constructor accepts; a subclass with options of its own extends it. */
  protected static readonly optionNames: readonly string[] = CACHE_OPTION_NAMES;

  /** Entries held, counting expired ones not yet removed (`evictExpired()` first for a live count). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Stores `value` under `key`, replacing any previous entry whole: value AND expiry
   * (now + `ttlMs`). Unlike LiteLLM, an overwrite does not keep the old expiry, so a fresh
   * value gets its full lifetime (as in lru-cache and @isaacs/ttlcache).
   */
  set(key: string, value: V, options?: SetOptions): void {
    if (typeof key !== 'string') throw keyError(key);
    // Options are checked only when given, so the common call costs nothing extra.
    const ttlMs = (options === undefined ? undefined : readSetTtl(options)) ?? this.#defaultTtlMs;
    if (this.#maxSize === 0) return;
    const now = this.#clock();
    const existing = this.#entries.get(key);
    if (existing !== undefined) {
      this.#replace(existing, value, now, now + ttlMs);
      return;
    }
    const entry = new Entry(key, value, now + ttlMs, this.#writes++);
    const expired = this.#entries.size >= this.#maxSize ? this.#removeExpired(now) : NOTHING_REMOVED;
    let victim: Entry<V> | undefined;
    if (this.#entries.size < this.#maxSize) {
      this.#heap.push(entry);
    } else {
      // Still full: the soonest-expiring entry leaves and the new one takes its heap slot.
      victim = this.#heap.replaceRoot(entry) as Entry<V>;
      this.#entries.delete(victim.key);
    }
    this.#entries.set(key, entry);
    if (expired.length === 0) {
      if (victim !== undefined) this.onEvict(victim.key, victim.value, 'size');
      return;
    }
    const errors = this.#notify(expired, 'ttl');
    if (victim !== undefined) this.#notify([victim], 'size', errors);
    rethrow(errors);
  }

  /** The value under `key`, or `undefined` if absent or expired (an expired entry is removed). */
  get(key: string): V | undefined {
    return this.#live(key)?.value;
  }

  /** Whether `key` holds an unexpired entry (an expired entry is removed). */
  has(key: string): boolean {
    return this.#live(key) !== undefined;
  }

  /** Removes `key`; `false` if it was absent or already expired. */
  delete(key: string): boolean {
    const entry = this.#live(key);
    if (entry === undefined) return false;
    this.#remove(entry);
    this.onEvict(key, entry.value, 'delete');
    return true;
  }

  /** Removes every entry, calling the hook once per entry with `'clear'`. */
  clear(): void {
    const removed = [...this.#entries.values()];
    this.#entries.clear();
    this.#heap.clear();
    rethrow(this.#notify(removed, 'clear'));
  }

  /** Removes every expired entry now and returns how many. */
  evictExpired(): number {
    const removed = this.#removeExpired(this.#clock());
    rethrow(this.#notify(removed, 'ttl'));
    return removed.length;
  }

  /**
   * The one eviction hook. Every removal calls it exactly once, after the entry is gone, so the
   * cache is consistent and re-entrant calls are safe. If it throws, the operation that removed
   * the entry still completed: the error reaches that operation's caller once all of the
   * operation's hook calls have run (several errors arrive as one `AggregateError`).
   */
  protected onEvict(_key: string, _value: V, _reason: EvictionReason): void {}

  #live(key: string): Entry<V> | undefined {
    if (typeof key !== 'string') throw keyError(key);
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.expiresAt > this.#clock()) return entry;
    this.#remove(entry);
    this.onEvict(key, entry.value, 'ttl');
    return undefined;
  }

  #replace(entry: Entry<V>, value: V, now: number, expiresAt: number): void {
    const previous = entry.value;
    const previousExpired = entry.expiresAt <= now;
    entry.value = value;
    entry.expiresAt = expiresAt;
    entry.order = this.#writes++;
    this.#heap.update(entry);
    // An expired entry was already dead: its value leaves for 'ttl' even if the same one returns.
    if (previousExpired) this.onEvict(entry.key, previous, 'ttl');
    else if (!Object.is(previous, value)) this.onEvict(entry.key, previous, 'overwrite');
  }

  #remove(entry: Entry<V>): void {
    this.#entries.delete(entry.key);
    this.#heap.remove(entry);
  }

  #removeExpired(now: number): readonly Entry<V>[] {
    let soonest = this.#heap.peek();
    if (soonest === undefined || soonest.expiresAt > now) return NOTHING_REMOVED;
    const removed: Entry<V>[] = [];
    do {
      this.#remove(soonest);
      removed.push(soonest);
      soonest = this.#heap.peek();
    } while (soonest !== undefined && soonest.expiresAt <= now);
    return removed;
  }

  #notify(removed: readonly Entry<V>[], reason: EvictionReason, errors: unknown[] = []): unknown[] {
    for (const entry of removed) {
      try {
        this.onEvict(entry.key, entry.value, reason);
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }
}
