import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/** The lower bound of a peer range's first (Node 20) line: `^7.30.2 || ^8.12.4` → `7.30.2`. */
const floorOf = (range: string) => range.split('||')[0]?.trim().replace(/^\^/, '');

/** The version the lockfile installs for `name` in this package (what the suite tests). */
function lockedVersion(lockfile: string, name: string): string | undefined {
  const importer = lockfile.split('\n  packages/e2e-harness:\n')[1]?.split('\n\n')[0] ?? '';
  const entry = new RegExp(`\\n {6}'?${name}'?:\\n {8}specifier: [^\\n]*\\n {8}version: ([^(\\n]+)`).exec(importer);
  return entry?.[1];
}

describe('peer ranges', () => {
  it('start the Node 20 line at the version the workspace suite tests', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      peerDependencies: Record<string, string>;
    };
    const lockfile = await readFile(new URL('../../../pnpm-lock.yaml', import.meta.url), 'utf8');
    const peers = Object.entries(manifest.peerDependencies);
    expect(peers.map(([name]) => name)).toEqual(['msw', 'openai', 'undici', 'vitest']);
    for (const [name, range] of peers) expect(`${name}@${floorOf(range)}`).toBe(`${name}@${lockedVersion(lockfile, name)}`);
  });

  it('a floor below the tested version is told apart (negative control)', async () => {
    const lockfile = await readFile(new URL('../../../pnpm-lock.yaml', import.meta.url), 'utf8');
    expect(lockedVersion(lockfile, 'undici')).toMatch(/^7\.\d+\.\d+$/);
    expect(floorOf('^7.30.0 || ^8.12.4')).not.toBe(lockedVersion(lockfile, 'undici'));
  });
});
