import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultClock } from '../src/clock.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('defaultClock', () => {
  it('reads performance.now once per synchronous run and again after it', async () => {
    await Promise.resolve(); // start from a fresh run
    let reading = 1000;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (reading += 5));
    const first = defaultClock();
    expect(defaultClock()).toBe(first);
    expect(now).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    expect(defaultClock()).toBe(first + 5);
    expect(now).toHaveBeenCalledTimes(2);
  });

  it('follows real time across awaits', async () => {
    const before = defaultClock();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(defaultClock() - before).toBeGreaterThanOrEqual(15);
  });
});
