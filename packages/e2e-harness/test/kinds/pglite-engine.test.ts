import { describe, expect, it } from 'vitest';
import { startPgBackend } from '../../src/kinds/pg/backend.js';
import { usePGlite } from '../../src/kinds/pg/pglite-engine.js';

const backendOptions = { chunks: 4, chunkIntervalMs: 5 };

describe("the process's PGlite thread", () => {
  it('a use held past the linger (a warm-up while slow imports run) keeps it: the next use gets the same thread', { timeout: 60_000 }, async () => {
    const warmUp = usePGlite();
    await warmUp.port;
    // Longer than PGlite lingers after its last use (2 s): a held use must keep it up regardless.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const check = usePGlite();
    expect(check.thread).toBe(warmUp.thread);
    await expect(check.port).resolves.toBe(await warmUp.port);
    warmUp.release();
    check.release();
  });

  it("a thread that exits while a check uses it: the pg backend's stop says so, and the next use starts a new thread", { timeout: 60_000 }, async () => {
    const backend = await startPgBackend(backendOptions);
    const observer = usePGlite();
    await observer.thread.terminate();
    await expect(backend.stop()).rejects.toThrow(/^PGlite's thread exited \(code 1\) while the check used it/);
    observer.release();

    const next = usePGlite();
    expect(next.thread).not.toBe(observer.thread);
    await expect(next.port).resolves.toBeGreaterThan(0);
    next.release();
  });

  it('twin: a check whose thread kept running stops without an error', { timeout: 60_000 }, async () => {
    const backend = await startPgBackend(backendOptions);
    await expect(backend.stop()).resolves.toBeUndefined();
  });
});
