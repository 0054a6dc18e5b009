import { ESLint } from 'eslint';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const filesIn = (folder: string): string[] => readdirSync(`${fixtures}${folder}`).sort();

// Whole files shaped like the bug as found in public code (see the brief's list), and correct
// counterparts. The bench lints the same files with the no-restricted-syntax baseline.
const eslint = new ESLint({
  cwd: fixtures,
  overrideConfigFile: true,
  overrideConfig: [plugin.configs.recommended],
});

async function reportsFor(folder: string): Promise<Record<string, number>> {
  const results = await eslint.lintFiles([`${folder}/*`]);
  return Object.fromEntries(
    results.map((result) => [
      result.filePath.slice(fixtures.length + folder.length + 1),
      result.messages.filter((message) => message.ruleId === 'no-close-on-evict/no-close-on-evict').length,
    ]),
  );
}

describe('bug shapes from public code', () => {
  it('reports every bug-shape file', async () => {
    const reports = await reportsFor('bug-shapes');
    expect(Object.keys(reports)).toEqual(filesIn('bug-shapes'));
    expect(Object.entries(reports).filter(([, count]) => count === 0)).toEqual([]);
  });

  it('reports no correct-shape file', async () => {
    const reports = await reportsFor('correct-shapes');
    expect(Object.keys(reports)).toEqual(filesIn('correct-shapes'));
    expect(Object.entries(reports).filter(([, count]) => count > 0)).toEqual([]);
  });
});
