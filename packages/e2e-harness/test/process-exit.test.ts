import { describe, expect, it } from 'vitest';
import { runFixture } from './fixtures/run-fixture.js';

describe('no open handles after a check', () => {
  // The test's timeout is the bound: a process kept alive by the harness (a backend not stopped,
  // a cache timer not cleared) never exits, and the test fails.
  it("a process whose cache left ref'd timers exits on its own once the check returned", { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await runFixture('exit/check-then-exit.ts');
    expect(code, stderr).toBe(0);
    // The check ran: every case caught the 10-minute close.
    expect(JSON.parse(stdout.trim())).toEqual({ cases: 12, failed: 12 });
  });

  it('PGlite, kept up after a pg check for the next one, does not keep the process alive', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await runFixture('pg-check.ts');
    expect(code, stderr).toBe(0);
    const [check, atExit] = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const { alive, ...verdicts } = check as { cases: number; failed: number; alive: string[] };
    expect(verdicts).toEqual({ cases: 3, failed: 0 });
    // The timer that stops it is unref'd, and so is its thread: the process exited while it lingered.
    expect(alive).not.toContain('Timeout');
    expect(atExit).toEqual({ threadsEndedBeforeExit: [false] });
  });
});
