import { Agent } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { checkEvictionSafety } from '../src/index.js';
import { CloseWatch } from '../src/tripwire/close-watch.js';
import { CLOSING_VERBS } from '../src/tripwire/closing-verbs.js';
import { galleryAdapter } from './fixtures/gallery-cache.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('nothing a case scheduled runs after the case ended', () => {
  // The harness's own suite flaked on this: a cache closing every evicted client (fillers and
  // overwritten values too) a little later; the case ended and destroyed its clients; the late
  // closes then rejected with UND_ERR_DESTROYED, unhandled, failing the user's test run.
  it("the cache's timers still scheduled when a case ends are cleared, spare clients' included", async () => {
    const armed: NodeJS.Timeout[] = [];
    const lateCloser = galleryAdapter('closes every evicted client 10 min later', (client) => {
      armed.push(setTimeout(() => void client.close?.(), 10 * 60_000));
    });
    await checkEvictionSafety({ cache: lateCloser, clients: ['undici-agent'] });
    // One per evicted client: the held ones and the spare clients used as fillers and new values.
    expect(armed.length).toBeGreaterThan(15);
    // `_destroyed` is the Node internal virtual time checks for (node-timers.ts): true once cleared.
    expect(armed.filter((timer) => Reflect.get(timer, '_destroyed') !== true)).toEqual([]);
  });

  it("a fire-and-forget close of a client the harness already destroyed is not an unhandled rejection, and an awaited one still rejects", async () => {
    const watch = new CloseWatch();
    const agent = new Agent();
    watch.watch('held client', [agent], CLOSING_VERBS);
    watch.disarm();
    await agent.destroy();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const closing = agent.close();
      await turn();
      await turn();
      expect(unhandled).not.toHaveBeenCalled();
      await expect(closing).rejects.toMatchObject({ code: 'UND_ERR_DESTROYED' });
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
