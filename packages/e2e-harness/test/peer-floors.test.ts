import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_KINDS, kindPackages, missingPackages } from '../src/kinds/built-in.js';

/** The lower bound of a peer range's first (Node 20) line: `^7.30.2 || ^8.12.4` → `7.30.2`. */
const floorOf = (range: string) => range.split('||')[0]?.trim().replace(/^\^/, '');

/** The version the lockfile installs for `name` in this package (what the suite tests). */
function lockedVersion(lockfile: string, name: string): string | undefined {
  const importer = lockfile.split('\n  packages/e2e-harness:\n')[1]?.split('\n\n')[0] ?? '';
  const entry = new RegExp(`\\n {6}'?${name}'?:\\n {8}specifier: [^\\n]*\\n {8}version: ([^(\\n]+)`).exec(importer);
  return entry?.[1];
}

interface Manifest {
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}

const manifest = async () => JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as Manifest;

/** Peers every user needs: the default kinds' packages. */
const REQUIRED_PEERS = ['msw', 'openai', 'undici'];

describe('peer ranges', () => {
  it('start the Node 20 line at the version the workspace suite tests', async () => {
    const { peerDependencies } = await manifest();
    const lockfile = await readFile(new URL('../../../pnpm-lock.yaml', import.meta.url), 'utf8');
    const peers = Object.entries(peerDependencies);
    expect(peers.map(([name]) => name)).toEqual([
      '@anthropic-ai/sdk',
      '@electric-sql/pglite',
      '@electric-sql/pglite-socket',
      '@modelcontextprotocol/sdk',
      'msw',
      'openai',
      'pg',
      'undici',
      'vitest',
      'ws',
    ]);
    for (const [name, range] of peers) expect(`${name}@${floorOf(range)}`).toBe(`${name}@${lockedVersion(lockfile, name)}`);
  });

  it('a floor below the tested version is told apart (negative control)', async () => {
    const lockfile = await readFile(new URL('../../../pnpm-lock.yaml', import.meta.url), 'utf8');
    expect(lockedVersion(lockfile, 'undici')).toMatch(/^7\.\d+\.\d+$/);
    expect(floorOf('^7.30.0 || ^8.12.4')).not.toBe(lockedVersion(lockfile, 'undici'));
  });

  it("every package a built-in kind imports is a peer, optional unless the default kinds need it", async () => {
    const { peerDependencies, peerDependenciesMeta } = await manifest();
    const needed = [...new Set(BUILT_IN_KINDS.flatMap(kindPackages))].sort();
    expect(needed.filter((name) => peerDependencies[name] === undefined)).toEqual([]);
    const optional = Object.keys(peerDependenciesMeta).filter((name) => peerDependenciesMeta[name]?.optional && name !== 'vitest');
    expect(optional.sort()).toEqual(needed.filter((name) => !REQUIRED_PEERS.includes(name)));
  });
});

describe('missing packages', () => {
  it('are told apart from installed ones, including one whose require entry point is missing', () => {
    // @modelcontextprotocol/sdk 1.32's `require` entry point names a file it does not ship.
    expect(missingPackages(['@modelcontextprotocol/sdk', 'pg', '@no-close-on-evict/not-a-package'])).toEqual([
      '@no-close-on-evict/not-a-package',
    ]);
  });
});
