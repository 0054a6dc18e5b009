import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('fixtures/exit/check-then-exit.ts', import.meta.url));
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

describe('no open handles after a check', () => {
  // The test's timeout is the bound: a process kept alive by the harness (a backend not stopped,
  // a cache timer not cleared) never exits, and the test fails.
  it("a process whose cache left ref'd timers exits on its own once the check returned", { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', script], { cwd: packageRoot }, (_error, out, err) =>
        resolve({ code: child.exitCode, stdout: out, stderr: err }),
      );
    });
    expect(code, stderr).toBe(0);
    // The check ran: every case caught the 10-minute close.
    expect(JSON.parse(stdout.trim())).toEqual({ cases: 12, failed: 12 });
  });
});
