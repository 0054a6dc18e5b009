import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryHeap, type Expiring } from '../src/expiry-heap.js';

interface Node extends Expiring {
  readonly id: number;
}

type HeapOp = { kind: 'push'; expiresAt: number } | { kind: 'remove' | 'update'; pick: number; expiresAt: number };

const byExpiry = (a: Node, b: Node) => a.expiresAt - b.expiresAt || a.order - b.order;

describe('ExpiryHeap', () => {
  it('drains in (expiresAt, order) order after any mix of push, remove and update', () => {
    const op: fc.Arbitrary<HeapOp> = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), expiresAt: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constantFrom('remove' as const, 'update' as const), pick: fc.nat(), expiresAt: fc.integer({ min: 0, max: 50 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400, size: 'max' }), (ops) => {
        const heap = new ExpiryHeap<Node>();
        const live: Node[] = [];
        let order = 0;
        for (const step of ops) {
          if (step.kind === 'push') {
            const node = { id: order, expiresAt: step.expiresAt, order: order++, heapIndex: -1 };
            heap.push(node);
            live.push(node);
            continue;
          }
          if (live.length === 0) continue;
          const node = live[step.pick % live.length] as Node;
          if (step.kind === 'remove') {
            heap.remove(node);
            live.splice(live.indexOf(node), 1);
            expect(node.heapIndex).toBe(-1);
          } else {
            node.expiresAt = step.expiresAt;
            node.order = order++;
            heap.update(node);
          }
          expect(heap.peek()).toBe([...live].sort(byExpiry)[0]);
        }
        expect(heap.size).toBe(live.length);
        const drained: Node[] = [];
        for (let root = heap.peek(); root !== undefined; root = heap.peek()) {
          heap.remove(root);
          drained.push(root);
        }
        expect(drained).toEqual(live.sort(byExpiry));
      }),
      { numRuns: 300 },
    );
  });

  it('replaceRoot removes the soonest node and files the new one in its place', () => {
    const heap = new ExpiryHeap<Node>();
    const nodes = [30, 10, 20].map((expiresAt, order) => ({ id: order, expiresAt, order, heapIndex: -1 }));
    for (const node of nodes) heap.push(node);
    const newcomer = { id: 3, expiresAt: 25, order: 3, heapIndex: -1 };
    expect(heap.replaceRoot(newcomer)).toBe(nodes[1]);
    expect(nodes[1]?.heapIndex).toBe(-1);
    const drained: number[] = [];
    for (let root = heap.peek(); root !== undefined; root = heap.peek()) {
      heap.remove(root);
      drained.push(root.expiresAt);
    }
    expect(drained).toEqual([20, 25, 30]);
    expect(heap.replaceRoot(newcomer)).toBeUndefined();
    expect(heap.peek()).toBe(newcomer);
  });
});
