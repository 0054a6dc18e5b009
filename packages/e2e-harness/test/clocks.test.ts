import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { withShiftedClock } from '../src/adapters/clocks.js';
import { harnessNow } from '../src/util/harness-clock.js';

describe('withShiftedClock', () => {
  it('shifts the global clocks for the call only, and not the harness clock', () => {
    const shift = 1_000_000;
    const seen = withShiftedClock(shift, () => ({ performance: performance.now(), harness: harnessNow(), date: Date.now() }));
    expect(seen.performance - performance.now()).toBeGreaterThan(shift - 1000);
    expect(seen.date - Date.now()).toBeGreaterThan(shift - 1000);
    expect(Math.abs(seen.harness - harnessNow())).toBeLessThan(1000);
    expect(Object.getOwnPropertyDescriptor(performance, 'now')).toBeUndefined();
  });

  it('puts back a fake performance.now installed as an own property', () => {
    const fakeNow = () => 42;
    Object.defineProperty(performance, 'now', { value: fakeNow, configurable: true, writable: true });
    try {
      expect(withShiftedClock(8, () => performance.now())).toBe(50);
      expect(performance.now).toBe(fakeNow);
    } finally {
      Reflect.deleteProperty(performance, 'now');
    }
  });
});
