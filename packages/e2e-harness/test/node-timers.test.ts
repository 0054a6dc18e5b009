import { describe, expect, it } from 'vitest';
import { fireNow, isNodeTimeout, timerInternalsProblems, verifyTimerInternals } from '../src/settle/node-timers.js';

describe("Node's Timeout internals that virtual time relies on", () => {
  it('this Node has them, and brings a timer forward with them', async () => {
    await expect(verifyTimerInternals()).resolves.toBeUndefined();
    const oneShot = setTimeout(() => undefined, 60_000);
    const interval = setInterval(() => undefined, 60_000);
    try {
      expect(timerInternalsProblems(oneShot)).toEqual([]);
      expect(timerInternalsProblems(interval)).toEqual([]);
    } finally {
      clearTimeout(oneShot);
      clearInterval(interval);
    }
  });

  it("fireNow runs an hour-long unref'd interval within a few event-loop turns", async () => {
    let ran = 0;
    const interval = setInterval(() => ran++, 3_600_000).unref();
    if (!isNodeTimeout(interval)) throw new Error('not a Node Timeout');
    fireNow(interval);
    for (let turn = 0; turn < 50 && ran === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
    clearInterval(interval);
    expect(ran).toBe(1);
  });

  it('names each missing or changed field, so a future Node fails loudly instead of passing silently', () => {
    expect(timerInternalsProblems({})).toEqual([
      '_idleTimeout is not a number',
      '_repeat is neither null nor a number',
      '_onTimeout is neither null nor a function',
      '_destroyed is not a boolean',
      'refresh() is missing',
    ]);
    const renamed = { _idleTimeout: 5, _repeat: 'no', _onTimeout: () => undefined, _destroyed: false, refresh: () => undefined };
    expect(timerInternalsProblems(renamed)).toEqual(['_repeat is neither null nor a number']);
  });
});
