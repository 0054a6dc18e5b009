import type { Linter } from 'eslint';

import { ESLint } from 'eslint';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

import plugin from '../src/index.js';

// The built plugin, unchanged, as an oxlint JS plugin (`jsPlugins` in `.oxlintrc.json`), against
// ESLint on the rule's fixture corpus: both must report the same places with the same messages.
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixturesDir = join(packageDir, 'test/fixtures');
const FOLDERS = ['bug-shapes', 'correct-shapes'];
const oxlintBin = join(
  dirname(createRequire(join(packageDir, 'package.json')).resolve('oxlint/package.json')),
  'bin/oxlint',
);

const configDir = mkdtempSync(join(tmpdir(), 'no-close-on-evict-oxlint-'));
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

/** `file:line:column message`, sorted: the comparable part of a report. */
type Report = string;

interface OxlintOutput {
  diagnostics: { code: string; message: string; filename: string; labels: { span: { line: number; column: number } }[] }[];
  number_of_files: number;
}

/** `.oxlintrc.json` for a flat config of this plugin: the same rule entries, oxlint's built-in rules off. */
function oxlintConfig(config: Linter.Config): string {
  const path = join(configDir, `${config.name!.replace('/', '-')}.oxlintrc.json`);
  writeFileSync(
    path,
    JSON.stringify({ jsPlugins: [join(packageDir, 'dist/index.js')], categories: { correctness: 'off' }, rules: config.rules }),
  );
  return path;
}

async function oxlintReports(config: Linter.Config): Promise<{ reports: Report[]; files: number }> {
  const args = ['-c', oxlintConfig(config), '-f', 'json', ...FOLDERS];
  // oxlint exits 1 when it reports errors; the JSON report is on stdout either way.
  const { stdout } = await run(oxlintBin, args, { cwd: fixturesDir }).catch((error: { stdout: string; code: number }) => {
    expect(error.code).toBe(1);
    return error;
  });
  const output = JSON.parse(stdout) as OxlintOutput;
  const reports = output.diagnostics.map((diagnostic) => {
    // Only the plugin's rule is on: any other code would be a report the comparison must not hide.
    expect(diagnostic.code).toBe('no-close-on-evict(no-close-on-evict)');
    const [{ span }] = diagnostic.labels as [{ span: { line: number; column: number } }];
    return `${diagnostic.filename}:${span.line}:${span.column} ${diagnostic.message}`;
  });
  return { reports: reports.sort(), files: output.number_of_files };
}

async function eslintReports(config: Linter.Config): Promise<{ reports: Report[]; files: number }> {
  const eslint = new ESLint({ cwd: fixturesDir, overrideConfigFile: true, overrideConfig: [config] });
  const results = await eslint.lintFiles(FOLDERS.map((folder) => `${folder}/*`));
  const reports = results.flatMap((result) =>
    result.messages.map((message) => {
      expect(message.ruleId).toBe('no-close-on-evict/no-close-on-evict');
      return `${result.filePath.slice(fixturesDir.length + 1)}:${message.line}:${message.column} ${message.message}`;
    }),
  );
  return { reports: reports.sort(), files: results.length };
}

describe.each([
  ['recommended', plugin.configs.recommended],
  ['strict', plugin.configs.strict],
])('oxlint and ESLint on the fixture corpus, %s', (_name, config) => {
  it('lint the same files and report the same places with the same messages', async () => {
    const [oxlint, eslint] = await Promise.all([oxlintReports(config), eslintReports(config)]);
    expect(oxlint.files).toBe(eslint.files);
    expect(eslint.reports.length).toBeGreaterThan(0);
    expect(oxlint.reports).toEqual(eslint.reports);
  }, 30_000);
});
