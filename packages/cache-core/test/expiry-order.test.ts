import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryOrder } from '../src/expiry-order.js';
import { PROPERTY_SEED } from './property-seed.js';

type OrderOp = { kind: 'add' | 'reschedule' | 'drop'; pick: number; ttl: number } | { kind: 'advance'; ms: number };

interface Filed {
  slot: number;
  expiresAt: number;
  written: number;
}

const soonestOf = (filed: Filed[]) => [...filed].sort((a, b) => a.expiresAt - b.expiresAt || a.written - b.written)[0];

describe('ExpiryOrder', () => {
  it('soonest() is the earliest expiry, oldest write first, after any mix of add, reschedule, drop and time', () => {
    const op: fc.Arbitrary<OrderOp> = fc.oneof(
      fc.record({ kind: fc.constantFrom('add' as const, 'reschedule' as const, 'drop' as const), pick: fc.nat(), ttl: fc.constantFrom(1, 2, 5, 10, Infinity) }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 6 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(op, { maxLength: 300, size: 'max' }), (capacity, ops) => {
        const order = new ExpiryOrder(capacity);
        const filed: Filed[] = [];
        let now = 0;
        let writes = 0;
        for (const step of ops) {
          if (step.kind === 'advance') {
            now += step.ms;
            continue;
          }
          if (step.kind === 'add') {
            if (filed.length === capacity) continue;
            const slot = order.add(now + step.ttl, step.ttl);
            if (filed.some((each) => each.slot === slot) || slot >= capacity) throw new Error(`slot ${slot} handed out twice or out of range`);
            filed.push({ slot, expiresAt: now + step.ttl, written: writes++ });
          } else if (filed.length > 0) {
            const target = filed[step.pick % filed.length] as Filed;
            if (step.kind === 'drop') {
              order.drop(target.slot);
              filed.splice(filed.indexOf(target), 1);
            } else {
              order.reschedule(target.slot, now + step.ttl, step.ttl);
              target.expiresAt = now + step.ttl;
              target.written = writes++;
            }
          }
          const expected = soonestOf(filed);
          if (order.soonest() !== (expected?.slot ?? -1)) throw new Error(`soonest ${order.soonest()}, expected ${expected?.slot}`);
        }
        // Draining yields every slot in order.
        const drained: number[] = [];
        for (let slot = order.soonest(); slot !== -1; slot = order.soonest()) {
          expect(order.expiresAt(slot)).toBe(filed.find((each) => each.slot === slot)?.expiresAt);
          order.drop(slot);
          drained.push(slot);
        }
        expect(drained).toEqual([...filed].sort((a, b) => a.expiresAt - b.expiresAt || a.written - b.written).map((each) => each.slot));
      }),
      { numRuns: 300, seed: PROPERTY_SEED },
    );
  });

  it('reuses dropped slots and forgets everything on clear()', () => {
    const order = new ExpiryOrder(3);
    const slots = [order.add(10, 10), order.add(5, 5), order.add(7, 7)];
    expect(slots).toEqual([0, 1, 2]);
    expect(order.soonest()).toBe(1);
    order.drop(1);
    expect(order.add(20, 20)).toBe(1);
    expect(order.soonest()).toBe(2);
    order.clear();
    expect(order.soonest()).toBe(-1);
    expect(order.add(3, 3)).toBe(0);
    expect(order.soonest()).toBe(0);
  });

  it('grows its arrays up to the capacity it was given, not beyond', () => {
    const order = new ExpiryOrder(100);
    const slots = Array.from({ length: 100 }, (_, i) => order.add(i, 1));
    expect(slots).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(order.soonest()).toBe(0);
    expect(order.expiresAt(99)).toBe(99);
  });
});
