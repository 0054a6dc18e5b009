/**
 * Runs the rule (`recommended`) over every JavaScript and TypeScript file in the workspace's
 * node_modules: thousands of files nobody wrote for this rule. Asserts that it never throws and
 * prints every report it makes, so a reader can judge each one.
 *
 *   pnpm bench:node-modules                 print the summary and every report
 *   pnpm bench:node-modules --write-readme  also write them into README.md
 *
 * `pnpm bench` runs this last (bench/index.ts imports it).
 */
import type { Linter } from 'eslint';

import tsParser from '@typescript-eslint/parser';
import { Linter as LinterClass } from 'eslint';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { writeReadmeSection } from './readme-section.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const storeDir = realpathSync(join(packageDir, '../../node_modules/.pnpm'));
const RULE_ID = 'no-close-on-evict/no-close-on-evict';
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/u;

const plugin = (await import(pathToFileURL(join(packageDir, 'dist/index.js')).href)).default as {
  configs: { recommended: Linter.Config };
};

function* sourceFiles(dir: string): Iterable<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // The store holds each package once; its symlinks point back into it.
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.isFile() && SOURCE.test(entry.name)) yield path;
  }
}

/** Parser and module kinds to try in order: a `.js` file may be either kind. */
function languageOptions(file: string): Linter.LanguageOptions[] {
  const typescript = /\.[cm]?tsx?$/u.test(file);
  const jsx = file.endsWith('x');
  const parser = typescript ? { parser: tsParser as Linter.Parser } : {};
  const parserOptions = { ecmaFeatures: { jsx } };
  const kinds: Linter.SourceType[] = file.endsWith('.cjs') || file.endsWith('.cts') ? ['commonjs'] : file.endsWith('.mjs') || file.endsWith('.mts') ? ['module'] : ['module', 'commonjs', 'script'];
  return kinds.map((sourceType) => ({ ...parser, sourceType, ecmaVersion: 'latest', parserOptions }));
}

const linter = new LinterClass();
const reports: string[] = [];
const crashes: string[] = [];
let files = 0;
let unparsed = 0;
let bytes = 0;
const slowest: [number, string][] = [];
const start = performance.now();
for (const file of sourceFiles(storeDir)) {
  files += 1;
  const text = readFileSync(file, 'utf8');
  bytes += statSync(file).size;
  const name = relative(storeDir, file);
  let parsed = false;
  const fileStart = performance.now();
  for (const options of languageOptions(file)) {
    const config: Linter.Config[] = [
      { linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } },
      { files: ['**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}'], languageOptions: options },
      { files: ['**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}'], ...plugin.configs.recommended },
    ];
    let messages: Linter.LintMessage[];
    try {
      // Linter matches no config for a path under node_modules (ESLint's default ignores), so the
      // file is named after its place in the store instead.
      messages = linter.verify(text, config, { filename: name.replaceAll('node_modules', 'nm') });
    } catch (error) {
      crashes.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
      parsed = true;
      break;
    }
    if (messages.some((message) => message.fatal)) continue;
    if (messages.some((message) => message.message.startsWith('No matching configuration'))) throw new Error(`bench: ${name} was not linted: ${messages[0]!.message}`);
    parsed = true;
    for (const message of messages) {
      if (message.ruleId === RULE_ID) reports.push(`${name}:${message.line}:${message.column} ${message.message.split('. ')[0]}`);
    }
    break;
  }
  if (!parsed) unparsed += 1;
  slowest.push([performance.now() - fileStart, name]);
  slowest.sort((a, b) => b[0] - a[0]).splice(5);
}

const summary = `${files.toLocaleString('en-US')} files (${(bytes / 1e6).toFixed(0)} MB) under \`node_modules/.pnpm\`, ESLint ${LinterClass.version}, \`recommended\`: ${crashes.length} crashes, ${unparsed} files neither parser reads, ${reports.length} reports.`;
console.log(`node_modules: ${summary} ${((performance.now() - start) / 1000).toFixed(0)} s`);
console.log(`  slowest: ${slowest.map(([time, name]) => `${name} ${(time / 1000).toFixed(1)} s`).join(', ')}`);
for (const report of reports) console.log(`  report: ${report}`);
for (const crash of crashes) console.log(`  CRASH: ${crash}`);
if (crashes.length > 0) process.exitCode = 1;

const lines = [summary, '', ...reports.map((report) => `- \`${report.replaceAll('`', "'")}\``), ...crashes.map((crash) => `- crash: ${crash}`)];
if (process.argv.includes('--write-readme')) writeReadmeSection('node_modules scan', lines.join('\n'));
