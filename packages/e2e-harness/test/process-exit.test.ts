import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

function runFixture(name: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = fileURLToPath(new URL(`fixtures/exit/${name}`, import.meta.url));
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', script], { cwd: packageRoot }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('no open handles after a check', () => {
  // The test's timeout is the bound: a process kept alive by the harness (a backend not stopped,
  // a cache timer not cleared) never exits, and the test fails.
  it("a process whose cache left ref'd timers exits on its own once the check returned", { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await runFixture('check-then-exit.ts');
    expect(code, stderr).toBe(0);
    // The check ran: every case caught the 10-minute close.
    expect(JSON.parse(stdout.trim())).toEqual({ cases: 12, failed: 12 });
  });

  it('PGlite, kept up after a pg check for the next one, does not keep the process alive', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await runFixture('pg-check-then-exit.ts');
    expect(code, stderr).toBe(0);
    const { alive, ...verdicts } = JSON.parse(stdout.trim()) as { cases: number; failed: number; alive: string[] };
    expect(verdicts).toEqual({ cases: 3, failed: 0 });
    // Its thread and the timer that stops it are unref'd: no timer holds the process once the check returned.
    expect(alive).not.toContain('Timeout');
  });
});
