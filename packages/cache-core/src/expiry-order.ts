/** A link at or above this value names a list (`LIST + id`), below it a slot. */
const LIST = 2 ** 31;
/** End of the chain of free slots. */
const NONE = 2 ** 32 - 1;
const FIRST_CAPACITY = 16;
const FIRST_LIST_CAPACITY = 4;
/** The TTL-to-list cache in front of the `Map` has 2^TTL_CACHE_BITS places. */
const TTL_CACHE_BITS = 4;

/** Where `ttl` goes in the TTL-to-list cache: a multiplicative hash of its integer part. */
function ttlCacheIndex(ttl: number): number {
  return Math.imul(ttl | 0, 0x9e3779b1) >>> (32 - TTL_CACHE_BITS);
}

function grown<T extends Uint32Array | Float64Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}

/**
 * Which entry expires soonest, for a cache that keeps its entries in numbered slots.
 *
 * Entries written with the same TTL expire in the order they were written, because time in the
 * cache never runs backwards. So each TTL gets one FIFO list, doubly linked through two typed
 * arrays, and only the lists' heads compete: a small heap orders the lists by their head's
 * expiry. Adding, dropping and finding the soonest entry cost O(1) plus O(log k) for the k
 * distinct TTLs in use (usually one to a few dozen); nothing scans, nothing is deleted lazily.
 *
 * Ties: when two entries expire at the same time, the one with the longer TTL was written
 * earlier (`t1 + ttl1 === t2 + ttl2` with `t1 < t2` means `ttl1 > ttl2`), and within one list
 * the head was written first. So the oldest write leaves first without a write counter.
 *
 * Per slot this costs 16 bytes (expiry, next, prev); free slots are chained through `next`.
 * The ends of a list link to the list itself (`LIST + id`), so unlinking needs no list field.
 */
export class ExpiryOrder {
  readonly #maxCapacity: number;
  #expiries: Float64Array;
  #next: Uint32Array;
  #prev: Uint32Array;
  /** Slots handed out so far; slots below it are in use or on the free chain. */
  #used = 0;
  #free = NONE;

  readonly #listByTtl = new Map<number, number>();
  #listHead = new Uint32Array(FIRST_LIST_CAPACITY);
  #listTail = new Uint32Array(FIRST_LIST_CAPACITY);
  #listTtl = new Float64Array(FIRST_LIST_CAPACITY);
  #listHeapIndex = new Uint32Array(FIRST_LIST_CAPACITY);
  #listsUsed = 0;
  readonly #freeLists: number[] = [];
  /** Non-empty lists, soonest head first. */
  readonly #heap: number[] = [];
  /**
   * The lists of recently used TTLs, direct-mapped: most writes use one of a few TTLs, and this
   * is cheaper than a `Map` lookup. An empty place holds NaN, which equals no TTL.
   */
  readonly #cachedTtls = new Float64Array(1 << TTL_CACHE_BITS).fill(Number.NaN);
  readonly #cachedLists = new Uint32Array(1 << TTL_CACHE_BITS);

  constructor(maxCapacity: number) {
    this.#maxCapacity = maxCapacity;
    const capacity = Math.min(FIRST_CAPACITY, maxCapacity);
    this.#expiries = new Float64Array(capacity);
    this.#next = new Uint32Array(capacity);
    this.#prev = new Uint32Array(capacity);
  }

  /** Takes a free slot and files it as expiring at `expiresAt`, written with `ttl`. */
  add(expiresAt: number, ttl: number): number {
    let slot = this.#free;
    if (slot !== NONE) {
      this.#free = this.#next[slot] as number;
    } else {
      slot = this.#used++;
      if (slot === this.#expiries.length) this.#grow();
    }
    this.#expiries[slot] = expiresAt;
    this.#append(slot, ttl);
    return slot;
  }

  /** Unfiles `slot` and frees it. */
  drop(slot: number): void {
    this.#unlink(slot);
    this.#next[slot] = this.#free;
    this.#free = slot;
  }

  /** Files `slot` again, as a fresh write expiring at `expiresAt` with `ttl`. */
  reschedule(slot: number, expiresAt: number, ttl: number): void {
    const next = this.#next[slot] as number;
    // Already last of its list, the same list: it stays last, only its expiry moves (later).
    if (next >= LIST && this.#listTtl[next - LIST] === ttl) {
      this.#expiries[slot] = expiresAt;
      if ((this.#prev[slot] as number) >= LIST) this.#siftDown(this.#listHeapIndex[next - LIST] as number);
      return;
    }
    this.#unlink(slot);
    this.#expiries[slot] = expiresAt;
    this.#append(slot, ttl);
  }

  expiresAt(slot: number): number {
    return this.#expiries[slot] as number;
  }

  /** The slot that expires soonest (ties: the oldest write), or -1 when nothing is filed. */
  soonest(): number {
    const list = this.#heap[0];
    return list === undefined ? -1 : (this.#listHead[list] as number);
  }

  /** Forgets every slot and list. */
  clear(): void {
    this.#used = 0;
    this.#free = NONE;
    this.#listByTtl.clear();
    this.#listsUsed = 0;
    this.#freeLists.length = 0;
    this.#heap.length = 0;
    this.#cachedTtls.fill(Number.NaN);
  }

  #grow(): void {
    const capacity = Math.min(this.#expiries.length * 2, this.#maxCapacity);
    this.#expiries = grown(this.#expiries, capacity);
    this.#next = grown(this.#next, capacity);
    this.#prev = grown(this.#prev, capacity);
  }

  #append(slot: number, ttl: number): void {
    const list = this.#listOf(ttl);
    if (list === undefined) {
      this.#openList(slot, ttl);
      return;
    }
    const tail = this.#listTail[list] as number;
    this.#next[tail] = slot;
    this.#prev[slot] = tail;
    this.#next[slot] = LIST + list;
    this.#listTail[list] = slot;
  }

  #listOf(ttl: number): number | undefined {
    const index = ttlCacheIndex(ttl);
    if (this.#cachedTtls[index] === ttl) return this.#cachedLists[index];
    const list = this.#listByTtl.get(ttl);
    if (list !== undefined) {
      this.#cachedTtls[index] = ttl;
      this.#cachedLists[index] = list;
    }
    return list;
  }

  #unlink(slot: number): void {
    const prev = this.#prev[slot] as number;
    const next = this.#next[slot] as number;
    if (prev < LIST) {
      this.#next[prev] = next;
      if (next < LIST) this.#prev[next] = prev;
      else this.#listTail[next - LIST] = prev;
      return;
    }
    // `slot` headed its list: the list's place in the heap changes.
    const list = prev - LIST;
    if (next >= LIST) {
      this.#closeList(list);
      return;
    }
    this.#prev[next] = prev;
    this.#listHead[list] = next;
    this.#siftDown(this.#listHeapIndex[list] as number);
  }

  #openList(slot: number, ttl: number): void {
    let list = this.#freeLists.pop();
    if (list === undefined) {
      list = this.#listsUsed++;
      if (list === this.#listHead.length) this.#growLists();
    }
    this.#listByTtl.set(ttl, list);
    this.#listTtl[list] = ttl;
    this.#listHead[list] = slot;
    this.#listTail[list] = slot;
    this.#prev[slot] = LIST + list;
    this.#next[slot] = LIST + list;
    const index = ttlCacheIndex(ttl);
    this.#cachedTtls[index] = ttl;
    this.#cachedLists[index] = list;
    this.#heap.push(list);
    this.#siftUp(this.#heap.length - 1);
  }

  #closeList(list: number): void {
    const ttl = this.#listTtl[list] as number;
    this.#listByTtl.delete(ttl);
    const cached = ttlCacheIndex(ttl);
    if (this.#cachedTtls[cached] === ttl) this.#cachedTtls[cached] = Number.NaN;
    this.#freeLists.push(list);
    const index = this.#listHeapIndex[list] as number;
    const last = this.#heap.pop() as number;
    if (last === list) return;
    this.#heap[index] = last;
    this.#listHeapIndex[last] = index;
    // The moved list came from the bottom: it can only need to go down, unless it beats the parent.
    if (index > 0 && this.#before(last, this.#heap[(index - 1) >> 1] as number)) this.#siftUp(index);
    else this.#siftDown(index);
  }

  #growLists(): void {
    const capacity = this.#listHead.length * 2;
    this.#listHead = grown(this.#listHead, capacity);
    this.#listTail = grown(this.#listTail, capacity);
    this.#listTtl = grown(this.#listTtl, capacity);
    this.#listHeapIndex = grown(this.#listHeapIndex, capacity);
  }

  /** Whether list `a`'s head leaves before list `b`'s: sooner expiry, then longer TTL (older write). */
  #before(a: number, b: number): boolean {
    const expiryA = this.#expiries[this.#listHead[a] as number] as number;
    const expiryB = this.#expiries[this.#listHead[b] as number] as number;
    return expiryA < expiryB || (expiryA === expiryB && (this.#listTtl[a] as number) > (this.#listTtl[b] as number));
  }

  #siftUp(index: number): void {
    const heap = this.#heap;
    const list = heap[index] as number;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as number;
      if (!this.#before(list, parent)) break;
      heap[index] = parent;
      this.#listHeapIndex[parent] = index;
      index = parentIndex;
    }
    heap[index] = list;
    this.#listHeapIndex[list] = index;
  }

  #siftDown(index: number): void {
    const heap = this.#heap;
    const length = heap.length;
    const list = heap[index] as number;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && this.#before(heap[right] as number, heap[child] as number)) child = right;
      const childList = heap[child] as number;
      if (!this.#before(childList, list)) break;
      heap[index] = childList;
      this.#listHeapIndex[childList] = index;
      index = child;
    }
    heap[index] = list;
    this.#listHeapIndex[list] = index;
  }
}
