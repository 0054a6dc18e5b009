/** What the heap orders: soonest `expiresAt` first, ties broken by write order. */
export interface Expiring {
  expiresAt: number;
  /** Write sequence number; among equal expiries the older write leaves first. */
  order: number;
  /** Slot in the heap array, kept up to date by the heap so removal is O(log n) without a search. */
  heapIndex: number;
}

function before(a: Expiring, b: Expiring): boolean {
  return a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.order < b.order);
}

/** Children per node: a 4-ary heap is half as deep as a binary one, so a sift misses cache less. */
const ARITY_BITS = 2;
const ARITY = 1 << ARITY_BITS;

function parentOf(index: number): number {
  return (index - 1) >> ARITY_BITS;
}

/**
 * Indexed 4-ary min-heap of entries by expiry. Each node knows its slot, so an overwrite or a
 * delete repositions or removes it in O(log n): no stale copies pile up, unlike a lazily
 * deleted heap, and nothing ever scans.
 */
export class ExpiryHeap<T extends Expiring> {
  readonly #nodes: T[] = [];

  get size(): number {
    return this.#nodes.length;
  }

  peek(): T | undefined {
    return this.#nodes[0];
  }

  push(node: T): void {
    node.heapIndex = this.#nodes.length;
    this.#nodes.push(node);
    this.#siftUp(node.heapIndex);
  }

  /** Removes the root and inserts `node` in one pass: a size eviction followed by an insert. */
  replaceRoot(node: T): T | undefined {
    const root = this.#nodes[0];
    if (root === undefined) {
      this.push(node);
      return undefined;
    }
    root.heapIndex = -1;
    this.#nodes[0] = node;
    node.heapIndex = 0;
    this.#siftDown(0);
    return root;
  }

  remove(node: T): void {
    const nodes = this.#nodes;
    const index = node.heapIndex;
    const last = nodes.pop() as T;
    node.heapIndex = -1;
    if (last === node) return;
    nodes[index] = last;
    last.heapIndex = index;
    this.#reposition(index);
  }

  /** Restores order after `node.expiresAt` or `node.order` changed. */
  update(node: T): void {
    this.#reposition(node.heapIndex);
  }

  clear(): void {
    for (const node of this.#nodes) node.heapIndex = -1;
    this.#nodes.length = 0;
  }

  #reposition(index: number): void {
    if (index > 0 && before(this.#nodes[index] as T, this.#nodes[parentOf(index)] as T)) {
      this.#siftUp(index);
    } else {
      this.#siftDown(index);
    }
  }

  #siftUp(index: number): void {
    const nodes = this.#nodes;
    const node = nodes[index] as T;
    while (index > 0) {
      const parentIndex = parentOf(index);
      const parent = nodes[parentIndex] as T;
      if (!before(node, parent)) break;
      nodes[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    nodes[index] = node;
    node.heapIndex = index;
  }

  #siftDown(index: number): void {
    const nodes = this.#nodes;
    const length = nodes.length;
    const node = nodes[index] as T;
    for (;;) {
      const first = ARITY * index + 1;
      if (first >= length) break;
      let child = first;
      const last = Math.min(first + ARITY, length);
      for (let sibling = first + 1; sibling < last; sibling++) {
        if (before(nodes[sibling] as T, nodes[child] as T)) child = sibling;
      }
      const smaller = nodes[child] as T;
      if (!before(smaller, node)) break;
      nodes[index] = smaller;
      smaller.heapIndex = index;
      index = child;
    }
    nodes[index] = node;
    node.heapIndex = index;
  }
}
