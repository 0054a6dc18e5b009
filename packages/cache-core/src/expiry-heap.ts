/** What the heap orders: soonest `expiresAt` first, ties broken by write order. */
export interface Expiring {
  expiresAt: number;
  /** Write sequence number; among equal expiries the older write leaves first. */
  order: number;
  /** Slot in the heap, kept up to date by the heap so removal is O(log n) without a search. */
  heapIndex: number;
}

/** Children per node: a 4-ary heap is half as deep as a binary one. */
const ARITY_BITS = 2;
const ARITY = 1 << ARITY_BITS;

function parentOf(index: number): number {
  return (index - 1) >> ARITY_BITS;
}

/**
 * Indexed 4-ary min-heap of entries by expiry. Each node knows its slot, so an overwrite or a
 * delete repositions or removes it in O(log n): no stale copies pile up, unlike a lazily
 * deleted heap, and nothing ever scans. The sort keys are copied into typed arrays next to the
 * nodes, so a sift compares contiguous numbers instead of chasing a pointer per comparison.
 */
export class ExpiryHeap<T extends Expiring> {
  readonly #nodes: T[] = [];
  #expiries = new Float64Array(64);
  #orders = new Float64Array(64);

  get size(): number {
    return this.#nodes.length;
  }

  peek(): T | undefined {
    return this.#nodes[0];
  }

  push(node: T): void {
    const index = this.#nodes.length;
    if (index === this.#expiries.length) this.#grow();
    this.#nodes.push(node);
    this.#siftUp(index, node);
  }

  /** Removes the root and inserts `node` in one pass: a size eviction followed by an insert. */
  replaceRoot(node: T): T | undefined {
    const root = this.#nodes[0];
    if (root === undefined) {
      this.push(node);
      return undefined;
    }
    root.heapIndex = -1;
    this.#siftDown(0, node);
    return root;
  }

  remove(node: T): void {
    const index = node.heapIndex;
    const last = this.#nodes.pop() as T;
    node.heapIndex = -1;
    if (last !== node) this.#reposition(index, last);
  }

  /** Restores order after `node.expiresAt` or `node.order` changed. */
  update(node: T): void {
    this.#reposition(node.heapIndex, node);
  }

  clear(): void {
    for (const node of this.#nodes) node.heapIndex = -1;
    this.#nodes.length = 0;
  }

  #grow(): void {
    const expiries = new Float64Array(this.#expiries.length * 2);
    const orders = new Float64Array(this.#orders.length * 2);
    expiries.set(this.#expiries);
    orders.set(this.#orders);
    this.#expiries = expiries;
    this.#orders = orders;
  }

  /** Puts `node` at slot `index` (whose previous occupant is gone) and restores order. */
  #reposition(index: number, node: T): void {
    if (index > 0) {
      const parent = parentOf(index);
      const parentExpiry = this.#expiries[parent] as number;
      if (node.expiresAt < parentExpiry || (node.expiresAt === parentExpiry && node.order < (this.#orders[parent] as number))) {
        this.#siftUp(index, node);
        return;
      }
    }
    this.#siftDown(index, node);
  }

  #place(index: number, node: T, expiresAt: number, order: number): void {
    this.#nodes[index] = node;
    this.#expiries[index] = expiresAt;
    this.#orders[index] = order;
    node.heapIndex = index;
  }

  #siftUp(index: number, node: T): void {
    const { expiresAt, order } = node;
    const expiries = this.#expiries;
    const orders = this.#orders;
    while (index > 0) {
      const parent = parentOf(index);
      const parentExpiry = expiries[parent] as number;
      const parentOrder = orders[parent] as number;
      if (expiresAt > parentExpiry || (expiresAt === parentExpiry && order > parentOrder)) break;
      this.#place(index, this.#nodes[parent] as T, parentExpiry, parentOrder);
      index = parent;
    }
    this.#place(index, node, expiresAt, order);
  }

  #siftDown(index: number, node: T): void {
    const { expiresAt, order } = node;
    const expiries = this.#expiries;
    const orders = this.#orders;
    const length = this.#nodes.length;
    for (;;) {
      const first = ARITY * index + 1;
      if (first >= length) break;
      let child = first;
      let childExpiry = expiries[first] as number;
      let childOrder = orders[first] as number;
      const end = Math.min(first + ARITY, length);
      for (let sibling = first + 1; sibling < end; sibling++) {
        const siblingExpiry = expiries[sibling] as number;
        if (siblingExpiry < childExpiry || (siblingExpiry === childExpiry && (orders[sibling] as number) < childOrder)) {
          child = sibling;
          childExpiry = siblingExpiry;
          childOrder = orders[sibling] as number;
        }
      }
      if (childExpiry > expiresAt || (childExpiry === expiresAt && childOrder > order)) break;
      this.#place(index, this.#nodes[child] as T, childExpiry, childOrder);
      index = child;
    }
    this.#place(index, node, expiresAt, order);
  }
}
