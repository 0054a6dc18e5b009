import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { ESLint as ESLint9 } from 'eslint-v9';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const filesIn = (folder: string): string[] => readdirSync(`${fixtures}${folder}`).sort();

// Whole files shaped like the bug as found in public code (our reconstructions, not the files
// themselves), and correct counterparts. The bench lints the same files with the
// no-restricted-syntax baseline. Both ESLint lines run them: which files the rule analyses is
// decided by ESLint's own selector matching.
const config = [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, plugin.configs.recommended];
const linters = [
  ['ESLint 10', new ESLint({ cwd: fixtures, overrideConfigFile: true, overrideConfig: config as never })],
  [
    'ESLint 9.15',
    // This workspace types the plugin against ESLint 10; an ESLint 9 user's compiler sees 9's types.
    new ESLint9({ cwd: fixtures, overrideConfigFile: true, overrideConfig: config as unknown as ESLint9.Options['overrideConfig'] }),
  ],
] as const;

async function reportsFor(eslint: ESLint | ESLint9, folder: string): Promise<Record<string, number>> {
  const results = await eslint.lintFiles([`${folder}/*`]);
  return Object.fromEntries(
    results.map((result) => [
      result.filePath.slice(fixtures.length + folder.length + 1),
      result.messages.filter((message) => message.ruleId === 'no-close-on-evict/no-close-on-evict').length,
    ]),
  );
}

describe.each(linters)('bug-shape fixtures, %s', (_version, eslint) => {
  it('reports every bug-shape file', async () => {
    const reports = await reportsFor(eslint, 'bug-shapes');
    expect(Object.keys(reports)).toEqual(filesIn('bug-shapes'));
    expect(Object.entries(reports).filter(([, count]) => count === 0)).toEqual([]);
  });

  it('reports no correct-shape file', async () => {
    const reports = await reportsFor(eslint, 'correct-shapes');
    expect(Object.keys(reports)).toEqual(filesIn('correct-shapes'));
    expect(Object.entries(reports).filter(([, count]) => count > 0)).toEqual([]);
  });
});
