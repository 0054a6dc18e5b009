import type { Linter } from 'eslint';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

/** ESLint with a flat config of this plugin; oxlint parses TypeScript itself, ESLint needs a parser for the `.ts` fixtures. */
const eslintWith = (config: Linter.Config): ESLint =>
  new ESLint({
    cwd: fixturesDir,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as Linter.Parser } }, config],
  });

async function eslintReports(config: Linter.Config): Promise<{ reports: Report[]; files: number }> {
  const eslint = eslintWith(config);
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

describe('oxlint --fix-suggestions', () => {
  it("applies the rule's suggestions as ESLint's suggestions would", async () => {
    const config = plugin.configs.recommended;
    const copy = join(configDir, 'bug-shapes');
    cpSync(join(fixturesDir, 'bug-shapes'), copy, { recursive: true });
    await run(oxlintBin, ['-c', oxlintConfig(config), '--fix-suggestions', 'bug-shapes'], { cwd: configDir }).catch(
      (error: { code: number }) => expect(error.code).toBe(1),
    );

    // What ESLint's first suggestion of each report does to the same file.
    const eslint = eslintWith(config);
    const expected: Record<string, string> = {};
    const fixed: Record<string, string> = {};
    let suggestions = 0;
    for (const name of readdirSync(copy).sort()) {
      const original = readFileSync(join(fixturesDir, 'bug-shapes', name), 'utf8');
      const [result] = await eslint.lintText(original, { filePath: join(fixturesDir, 'bug-shapes', name) });
      const fixes = (result?.messages ?? [])
        .flatMap((message) => message.suggestions?.slice(0, 1) ?? [])
        .map(({ fix }) => fix)
        .sort((a, b) => b.range[0] - a.range[0]);
      suggestions += fixes.length;
      expected[name] = fixes.reduce((text, fix) => text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]), original);
      fixed[name] = readFileSync(join(copy, name), 'utf8');
    }
    expect(suggestions).toBeGreaterThan(0);
    expect(fixed).toEqual(expected);
  }, 30_000);
});
