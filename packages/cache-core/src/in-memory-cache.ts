import { badReading, CLOCK_LIMIT } from './clock.js';
import { ExpiryOrder } from './expiry-order.js';
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

/**
 * Internal hooks, apart from the public `onEvict` so that a subclass overriding `onEvict` cannot
 * switch them off; not exported from the package. `ClientCache` counts with them how many
 * entries hold each client it owns. `entryStored` runs each time a value starts being held by an
 * entry (not when the same live value is set again), before the removals of the same `set` are
 * reported; `entryRemoved` runs for every removal, right before `onEvict`.
 */
export const entryStored: unique symbol = Symbol('entryStored');
export const entryRemoved: unique symbol = Symbol('entryRemoved');

/** Surfaces hook failures after every hook of one operation has run. */
function rethrow(errors: readonly unknown[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} onEvict calls threw`);
}

/**
 * A size-bounded TTL cache with string keys, modelled on LiteLLM's `InMemoryCache`.
 *
 * - `get` never refreshes a TTL (this is not an LRU); an expired entry is removed when touched.
 * - When full, a new key makes room by removing the entry that expires soonest (ties: the oldest
 *   write): `'ttl'` if it has expired, else `'size'`. The live entries kept are those LiteLLM
 *   keeps (it removes every expired entry first); expired entries nothing touches leave later.
 * - Every removal, whatever its cause, calls {@link InMemoryCache.onEvict} exactly once, after the
 *   entry is gone: the one place a subclass observes evictions.
 *
 * Entries live in numbered slots: a `Map` from key to slot, and per slot the key, the value and
 * an {@link ExpiryOrder} record (expiry and two links), with no object per entry.
 * Costs: `get`/`has` O(1); `set`/`delete` O(1) plus O(log k) for k distinct TTLs in use;
 * `evictExpired()` removing m entries O(m log k).
 */
export class InMemoryCache<V> {
  readonly #slots = new Map<string, number>();
  #keys: (string | undefined)[] = [];
  #values: (V | undefined)[] = [];
  readonly #order: ExpiryOrder;
  readonly #maxSize: number;
  readonly #defaultTtlMs: number;
  readonly #clock: () => number;
  /** The latest clock reading: a lower one counts as this one. */
  #lastNow = -CLOCK_LIMIT;

  constructor(options?: InMemoryCacheOptions) {
    const resolved = resolveCacheOptions(options, new.target.defaultTtlMs, new.target.name, new.target.optionNames);
    this.#maxSize = resolved.maxSize;
    this.#defaultTtlMs = resolved.defaultTtlMs;
    this.#clock = resolved.clock;
    this.#order = new ExpiryOrder(resolved.maxSize);
  }

  /** The `defaultTtlMs` used when the options give none; subclasses override it. */
  protected static readonly defaultTtlMs: number = 600_000;

  /** Every option key the constructor accepts; a subclass with options of its own extends it. */
  protected static readonly optionNames: readonly string[] = CACHE_OPTION_NAMES;

  /** Most entries held at once (the `maxSize` option). */
  get maxSize(): number {
    return this.#maxSize;
  }

  /** Entries held, counting expired ones not yet removed (`evictExpired()` first for a live count). */
  get size(): number {
    return this.#slots.size;
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
    const now = this.#now();
    const slot = this.#slots.get(key);
    if (slot !== undefined) {
      this.#rewrite(slot, key, value, now, ttlMs);
    } else if (this.#slots.size < this.#maxSize) {
      this.#insert(key, value, now + ttlMs, ttlMs);
    } else {
      this.#insertWhenFull(key, value, now, ttlMs);
    }
  }

  /** The value under `key`, or `undefined` if absent or expired (an expired entry is removed). */
  get(key: string): V | undefined {
    if (typeof key !== 'string') throw keyError(key);
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (this.#order.expiresAt(slot) > this.#now()) return this.#values[slot];
    this.#evict(slot, 'ttl');
    return undefined;
  }

  /** Whether `key` holds an unexpired entry (an expired entry is removed). */
  has(key: string): boolean {
    return this.#live(key) !== undefined;
  }

  /** Removes `key`; `false` if it was absent or already expired. */
  delete(key: string): boolean {
    const slot = this.#live(key);
    if (slot === undefined) return false;
    this.#evict(slot, 'delete');
    return true;
  }

  /** Removes every entry, calling the hook once per entry with `'clear'`, in insertion order. */
  clear(): void {
    const removed: (string | V | undefined)[] = [];
    for (const [key, slot] of this.#slots) removed.push(key, this.#values[slot]);
    this.#slots.clear();
    this.#order.clear();
    this.#keys = [];
    this.#values = [];
    rethrow(this.#notify(removed, 'clear'));
  }

  /** Removes every expired entry now and returns how many. */
  evictExpired(): number {
    const removed: (string | V | undefined)[] = [];
    this.#removeExpired(this.#now(), removed);
    rethrow(this.#notify(removed, 'ttl'));
    return removed.length / 2;
  }

  /**
   * The one eviction hook. Every removal calls it exactly once, after the entry is gone, so the
   * cache is consistent and re-entrant calls are safe. If it throws, the operation that removed
   * the entry still completed: the error reaches that operation's caller once all of the
   * operation's hook calls have run (several errors arrive as one `AggregateError`).
   */
  protected onEvict(_key: string, _value: V, _reason: EvictionReason): void {}

  /** See {@link entryStored}; a no-op here. */
  protected [entryStored](_value: V): void {}

  /** See {@link entryRemoved}; a no-op here. */
  protected [entryRemoved](_value: V): void {}

  /** Reads and checks the clock; never lets time run backwards. */
  #now(): number {
    const now = this.#clock();
    if (typeof now === 'number' && now >= this.#lastNow && now <= CLOCK_LIMIT) return (this.#lastNow = now);
    const problem = badReading(now);
    if (problem) throw problem;
    return this.#lastNow;
  }

  /** The slot of `key`'s unexpired entry; an expired one is removed first. */
  #live(key: string): number | undefined {
    if (typeof key !== 'string') throw keyError(key);
    const slot = this.#slots.get(key);
    if (slot === undefined || this.#order.expiresAt(slot) > this.#now()) return slot;
    this.#evict(slot, 'ttl');
    return undefined;
  }

  #insert(key: string, value: V, expiresAt: number, ttlMs: number): void {
    const slot = this.#order.add(expiresAt, ttlMs);
    if (slot === this.#keys.length) {
      this.#keys.push(key);
      this.#values.push(value);
    } else {
      this.#keys[slot] = key;
      this.#values[slot] = value;
    }
    this.#slots.set(key, slot);
    this[entryStored](value);
  }

  #rewrite(slot: number, key: string, value: V, now: number, ttlMs: number): void {
    const previous = this.#values[slot] as V;
    const previousExpired = this.#order.expiresAt(slot) <= now;
    this.#values[slot] = value;
    this.#order.reschedule(slot, now + ttlMs, ttlMs);
    // An expired entry was already dead: its value leaves for 'ttl' even if the same one returns.
    if (previousExpired) {
      this[entryStored](value);
      this.#left(key, previous, 'ttl');
    } else if (!Object.is(previous, value)) {
      this[entryStored](value);
      this.#left(key, previous, 'overwrite');
    }
  }

  /**
   * A new key in a full cache: the entry that expires soonest leaves to make room, as `'ttl'` if
   * it has expired, else as `'size'`. The live entries that remain are the same as if every
   * expired entry left first (LiteLLM's order): an expired entry, if any, is the soonest.
   */
  #insertWhenFull(key: string, value: V, now: number, ttlMs: number): void {
    const slot = this.#order.soonest();
    const victimKey = this.#keys[slot] as string;
    const victim = this.#values[slot] as V;
    const reason = this.#order.expiresAt(slot) <= now ? 'ttl' : 'size';
    this.#remove(slot);
    this.#insert(key, value, now + ttlMs, ttlMs);
    this.#left(victimKey, victim, reason);
  }

  /** Removes the entry in `slot`, then calls the hook for it. */
  #evict(slot: number, reason: EvictionReason): void {
    const key = this.#keys[slot] as string;
    const value = this.#values[slot] as V;
    this.#remove(slot);
    this.#left(key, value, reason);
  }

  /** Reports one removal: to the internal hook, then to `onEvict`. */
  #left(key: string, value: V, reason: EvictionReason): void {
    this[entryRemoved](value);
    this.onEvict(key, value, reason);
  }

  #remove(slot: number): void {
    this.#slots.delete(this.#keys[slot] as string);
    this.#order.drop(slot);
    this.#keys[slot] = undefined;
    this.#values[slot] = undefined;
  }

  /** Removes every entry expired at `now`, soonest first, appending key and value pairs to `removed`. */
  #removeExpired(now: number, removed: (string | V | undefined)[]): void {
    for (let slot = this.#order.soonest(); slot !== -1 && this.#order.expiresAt(slot) <= now; slot = this.#order.soonest()) {
      removed.push(this.#keys[slot], this.#values[slot]);
      this.#remove(slot);
    }
  }

  /** Calls the hook for each removed key and value pair; returns the errors thrown. */
  #notify(removed: readonly (string | V | undefined)[], reason: EvictionReason): unknown[] {
    const errors: unknown[] = [];
    for (let index = 0; index < removed.length; index += 2) {
      try {
        this.#left(removed[index] as string, removed[index + 1] as V, reason);
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }
}
