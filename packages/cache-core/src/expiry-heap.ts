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

/**
 * Indexed binary min-heap of entries by expiry. Each node knows its slot, so an overwrite or a
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

  pop(): T | undefined {
    const root = this.#nodes[0];
    if (root !== undefined) this.remove(root);
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
    if (index > 0 && before(this.#nodes[index] as T, this.#nodes[(index - 1) >> 1] as T)) {
      this.#siftUp(index);
    } else {
      this.#siftDown(index);
    }
  }

  #siftUp(index: number): void {
    const nodes = this.#nodes;
    const node = nodes[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
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
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && before(nodes[right] as T, nodes[child] as T)) child = right;
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
