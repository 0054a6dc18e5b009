import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';

const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
const { version } = createRequire(pgliteEntry)(join(dirname(pgliteEntry), '..', 'package.json')) as { version: string };

describe("PGlite's saved data directory", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // initdb runs here: seconds, more on a busy machine.
  it('a foreign file where the saved copy belongs: PGlite starts from initdb, the check passes, a valid copy replaces it', { timeout: 120_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'no-close-on-evict-pglite-'));
    const saved = join(dir, 'no-close-on-evict', `pglite-${version}-datadir.tar`);
    await mkdir(dirname(saved), { recursive: true });
    await writeFile(saved, 'not a tar archive');

    const { code, stdout, stderr } = await runFixture('pg-check.ts', { ...process.env, TMPDIR: dir });
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout.trim().split('\n')[0] ?? '')).toMatchObject({ cases: 3, failed: 0 });
    const copy = await readFile(saved);
    // A tar archive: "ustar" at offset 257 of its first header, the cluster's PG_VERSION among its files.
    expect(copy.toString('latin1', 257, 262)).toBe('ustar');
    expect(copy.includes('PG_VERSION')).toBe(true);
  });
});
