/**
 * Lints real third-party sources (openai's src, undici's lib, msw's src) with the rule alone, with
 * the `no-restricted-syntax` baseline alone, with a typical full config, and with type
 * information (typescript-eslint's `recommendedTypeChecked` plus ours). Prints the rule's time
 * against the baseline, its share of a full and of a typed lint (ESLint's stats), any report the
 * rule makes on that code, and how many bug-shape fixtures (our reconstructions) each catches.
 *
 * ESLint's per-rule stats time each rule's `create` and listener calls, not the selector matching
 * ESLint does for it while walking the tree; both the rule and the baseline leave their filtering to
 * selectors. So the table also shows the time each config adds to a lint with no rules, on sources
 * parsed once (parsing is the same for all and dominates noise): the cost a user actually pays.
 *
 * Then it runs the editor bench (bench/language-server.ts), the real-code corpus (corpus/measure.ts)
 * and bench/node-modules.ts (the rule over every file in the workspace's node_modules).
 *
 *   pnpm bench                 print the tables
 *   pnpm bench --write-readme  also replace them in README.md
 *   BENCH_RUNS=5 pnpm bench    full lints of each config (default 3); ten times as many pre-parsed rounds
 *   TYPED_RUNS=3 pnpm bench    typed lints (default 2: each builds the program anew)
 */
import type { Linter } from 'eslint';

import tsParser from '@typescript-eslint/parser';
import { ESLint, Linter as LinterClass } from 'eslint';
import { cpSync, existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { measureCorpus, writeCorpusFigures } from '../corpus/measure.js';
import { languageServerTable } from './language-server.js';
import { writeReadmeSection } from './readme-section.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const corpusDir = join(packageDir, '.bench-corpus');
const fixturesDir = join(packageDir, 'test/fixtures');
const RULE_ID = 'no-close-on-evict/no-close-on-evict';
const runs = Number(process.env.BENCH_RUNS ?? 3);
const typedRuns = Number(process.env.TYPED_RUNS ?? 2);

/** What a user would write without the plugin (see the lead's lint facts). */
const BASELINE_SELECTORS = [
  ':matches(MethodDefinition, PropertyDefinition)[key.name=/^(_?removeKey|evict|onEvict|dispose)/] CallExpression[callee.property.name=/^a?close$/]',
  'NewExpression[callee.name=/^(LRUCache|LRU)$/] > ObjectExpression > Property[key.name=/^(dispose|disposeAfter|onEviction)$/]',
];

const CORPUS = [
  { name: 'openai', folder: 'src' },
  { name: 'undici', folder: 'lib' },
  { name: 'msw', folder: 'src' },
] as const;

function copyCorpus(): void {
  rmSync(corpusDir, { recursive: true, force: true });
  for (const { name, folder } of CORPUS) {
    const source = join(realpathSync(join(packageDir, 'node_modules', name)), folder);
    if (!existsSync(source)) throw new Error(`bench: ${name} has no ${folder}/ folder at ${source}; reinstall it`);
    // ESLint never lints node_modules, so the sources are linted from a copy.
    cpSync(source, join(corpusDir, name), {
      recursive: true,
      filter: (path) => !/\.d\.[cm]?ts$/u.test(path),
    });
  }
}

const plugin = (await import(pathToFileURL(join(packageDir, 'dist/index.js')).href)).default as ESLint.Plugin & {
  configs: { recommended: Linter.Config; recommendedTypeChecked: Linter.Config };
};

// The "typical full config" uses what the workspace root installs.
const fromRoot = createRequire(join(packageDir, '../../package.json'));
const importFromRoot = async <T>(name: string): Promise<T> =>
  ((await import(pathToFileURL(fromRoot.resolve(name)).href)) as { default: T }).default;
const js = await importFromRoot<{ configs: { recommended: Linter.Config } }>('@eslint/js');
const tseslint = await importFromRoot<{ configs: { recommended: Linter.Config[]; recommendedTypeChecked: Linter.Config[] } }>('typescript-eslint');

const languages: Linter.Config[] = [
  // No disable comment in the corpus may hide a report (the pre-parsed runs use Linter directly).
  { linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } },
  { files: ['**/*.ts', '**/*.mts', '**/*.cts'], languageOptions: { parser: tsParser as Linter.Parser } },
  { files: ['undici/**/*.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
];

const configs = {
  // No rules: what ESLint spends walking the AST anyway, subtracted from the others.
  empty: languages,
  rule: [...languages, { plugins: { 'no-close-on-evict': plugin }, rules: { [RULE_ID]: 'error' } }],
  baseline: [
    ...languages,
    {
      rules: {
        'no-restricted-syntax': [
          'error',
          ...BASELINE_SELECTORS.map((selector) => ({ selector, message: 'Do not close clients on cache eviction.' })),
        ],
      },
    },
  ],
  full: [...languages, js.configs.recommended, ...tseslint.configs.recommended, plugin.configs.recommended],
  // One program over the copied sources (see TYPED_TSCONFIG), JavaScript included.
  typed: [
    ...languages,
    ...tseslint.configs.recommendedTypeChecked,
    { languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: corpusDir } } },
    plugin.configs.recommendedTypeChecked,
  ],
} satisfies Record<string, Linter.Config[]>;

/** A program over the whole copied corpus: JavaScript read too, module specifiers resolved the way bundlers do. */
const TYPED_TSCONFIG = {
  compilerOptions: {
    allowJs: true,
    checkJs: false,
    noEmit: true,
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023', 'DOM'],
    types: [],
    skipLibCheck: true,
  },
  include: ['**/*'],
};

interface Measured {
  /** Milliseconds in the named rule (its `create` and listeners) across all files. */
  ruleMs: number;
  /** The same, per file. */
  ruleMsByFile: Map<string, number>;
  /** Milliseconds of the whole lint (parsing, traversal, all rules) across all files. */
  totalMs: number;
  results: ESLint.LintResult[];
}

async function lint(config: Linter.Config[], cwd: string, patterns: string[], ruleId: string): Promise<Measured> {
  // Inline config is off so that no disable comment in the corpus can hide a report.
  const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: config, stats: true, allowInlineConfig: false });
  const results = await eslint.lintFiles(patterns);
  const ruleMsByFile = new Map<string, number>();
  let ruleMs = 0;
  let totalMs = 0;
  for (const result of results) {
    let fileMs = 0;
    for (const pass of result.stats?.times.passes ?? []) {
      totalMs += pass.total;
      fileMs += pass.rules?.[ruleId]?.total ?? 0;
    }
    ruleMsByFile.set(result.filePath, fileMs);
    ruleMs += fileMs;
  }
  return { ruleMs, ruleMsByFile, totalMs, results };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

copyCorpus();
writeFileSync(join(corpusDir, 'tsconfig.json'), JSON.stringify(TYPED_TSCONFIG, null, 2));
const patterns = CORPUS.map(({ name }) => `${name}/**/*.{js,cjs,mjs,ts,mts,cts}`);

// 1. Full lints with ESLint's stats: the rule against the baseline, its share, its reports on real code.
// Rule and baseline are linted in pairs, the first of a pair alternating, and each pair gives a
// ratio: both sides of a pair see the same machine load, JIT state and heap. Per file, ESLint's
// stats also charge a rule with any GC pause that lands in its code; the per-file medians over the
// rounds leave those out, for both sides alike.
const samples = { rule: [] as number[], baseline: [] as number[], ratio: [] as number[], fullRule: [] as number[], fullTotal: [] as number[] };
const byFile = { rule: [] as Map<string, number>[], baseline: [] as Map<string, number>[] };
let corpusResults: ESLint.LintResult[] = [];
let baselineCorpusReports = 0;
// Round 0 warms up (JIT, module loading) and gives the reports only.
for (let round = 0; round <= runs; round += 1) {
  let rule: Measured;
  let baseline: Measured;
  if (round % 2 === 0) {
    rule = await lint(configs.rule, corpusDir, patterns, RULE_ID);
    baseline = await lint(configs.baseline, corpusDir, patterns, 'no-restricted-syntax');
  } else {
    baseline = await lint(configs.baseline, corpusDir, patterns, 'no-restricted-syntax');
    rule = await lint(configs.rule, corpusDir, patterns, RULE_ID);
  }
  if (round === 0) {
    corpusResults = rule.results;
    baselineCorpusReports = baseline.results.reduce((sum, result) => sum + result.errorCount, 0);
    continue;
  }
  samples.rule.push(rule.ruleMs);
  samples.baseline.push(baseline.ruleMs);
  samples.ratio.push(rule.ruleMs / baseline.ruleMs);
  byFile.rule.push(rule.ruleMsByFile);
  byFile.baseline.push(baseline.ruleMsByFile);
  process.stderr.write(`rule and baseline round ${round}/${runs}: ${(rule.ruleMs / baseline.ruleMs).toFixed(2)}x\n`);
}
// The full config in rounds of its own, after a warm-up lint, so its many rules do not sit between the pairs.
for (let round = 0; round <= runs; round += 1) {
  const full = await lint(configs.full, corpusDir, patterns, RULE_ID);
  if (round === 0) continue;
  samples.fullRule.push(full.ruleMs);
  samples.fullTotal.push(full.totalMs);
  process.stderr.write(`full lint round ${round}/${runs}\n`);
}

// 2. Typed lints: the rule's share of a lint with type information, where it follows other files.
const typedSamples = { rule: [] as number[], total: [] as number[] };
let typedReports: string[] = [];
for (let round = 1; round <= typedRuns; round += 1) {
  const typed = await lint(configs.typed, corpusDir, patterns, RULE_ID);
  const unparsedTyped = typed.results.filter((result) => result.fatalErrorCount > 0);
  if (unparsedTyped.length > 0) throw new Error(`bench: ${unparsedTyped.length} files failed the typed parse, first ${unparsedTyped[0]!.filePath}`);
  typedSamples.rule.push(typed.ruleMs);
  typedSamples.total.push(typed.totalMs);
  typedReports = typed.results.flatMap((result) =>
    result.messages.filter((message) => message.ruleId === RULE_ID).map((message) => `${result.filePath.slice(corpusDir.length + 1)}:${message.line} ${message.message}`),
  );
  process.stderr.write(`typed lint round ${round}/${typedRuns}\n`);
}

// 3. Time added over a no-rule lint, on sources parsed once and reused, alternating configs.
const linter = new LinterClass();
const parsedCorpus = corpusResults.map((result) => {
  const filename = result.filePath.slice(corpusDir.length + 1);
  linter.verify(readFileSync(result.filePath, 'utf8'), configs.empty, { filename });
  return { filename, sourceCode: linter.getSourceCode() };
});
const addedRounds = runs * 10;
const verifyAll = (config: Linter.Config[]): number => {
  const start = performance.now();
  for (const { filename, sourceCode } of parsedCorpus) linter.verify(sourceCode, config, { filename });
  return performance.now() - start;
};
const added = { empty: [] as number[], rule: [] as number[], baseline: [] as number[] };
for (let round = 0; round <= addedRounds; round += 1) {
  const empty = verifyAll(configs.empty);
  const rule = verifyAll(configs.rule);
  const baseline = verifyAll(configs.baseline);
  if (round === 0) continue;
  added.empty.push(empty);
  added.rule.push(rule);
  added.baseline.push(baseline);
}
const ruleAddedMs = median(added.rule) - median(added.empty);
const baselineAddedMs = median(added.baseline) - median(added.empty);

const fileCount = corpusResults.length;
const lineCount = corpusResults.reduce((sum, result) => sum + (result.source ?? readFileSync(result.filePath, 'utf8')).split('\n').length, 0);
const unparsed = corpusResults.filter((result) => result.fatalErrorCount > 0).length;
if (unparsed > 0) throw new Error(`bench: ${unparsed} corpus files failed to parse; the measurement would skip them`);
const corpusReports = corpusResults.flatMap((result) =>
  result.messages.map((message) => `${result.filePath.slice(corpusDir.length + 1)}:${message.line} ${message.ruleId ?? 'parse'}: ${message.message}`),
);

// Catch rate on the bug-shape fixtures, and noise on their correct counterparts.
async function filesFlagged(config: Linter.Config[], ruleId: string, folder: string): Promise<[number, number]> {
  const { results } = await lint(config, fixturesDir, [`${folder}/*`], ruleId);
  return [results.filter((result) => result.messages.some((message) => message.ruleId === ruleId)).length, results.length];
}
const [ruleCaught, shapes] = await filesFlagged(configs.rule, RULE_ID, 'bug-shapes');
const [baselineCaught] = await filesFlagged(configs.baseline, 'no-restricted-syntax', 'bug-shapes');
const [ruleNoise, correctShapes] = await filesFlagged(configs.rule, RULE_ID, 'correct-shapes');
const [baselineNoise] = await filesFlagged(configs.baseline, 'no-restricted-syntax', 'correct-shapes');

/** The sum over files of each file's median over the rounds. */
const perFileMedians = (rounds: Map<string, number>[]): number =>
  [...rounds[0]!.keys()].reduce((sum, file) => sum + median(rounds.map((times) => times.get(file) ?? 0)), 0);
const ruleFileMedians = perFileMedians(byFile.rule);
const baselineFileMedians = perFileMedians(byFile.baseline);

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const ratio = (value: number): string => `${value.toFixed(2)}x`;
const share = median(samples.fullRule) / median(samples.fullTotal);
const typedShare = median(typedSamples.rule) / median(typedSamples.total);

const table = [
  `Corpus: ${fileCount} files (all parsed), ${lineCount.toLocaleString('en-US')} lines (openai \`src\`, undici \`lib\`, msw \`src\`); ESLint ${ESLint.version}, Node ${process.version}, ${runs} lints of each config after a warm-up (rule and baseline in pairs, which first alternating) and ${addedRounds} pre-parsed rounds, medians.`,
  '',
  '| Measure | Value |',
  '| :-- | --: |',
  `| Rule time per ESLint stats, rule alone | ${ms(median(samples.rule))} |`,
  `| Baseline time per ESLint stats | ${ms(median(samples.baseline))} |`,
  `| **Rule / baseline per ESLint stats**, median of ${runs} paired lints (goal: at most 1.5x) | **${ratio(median(samples.ratio))}** |`,
  `| Rule / baseline per ESLint stats, lowest and highest pair | ${ratio(Math.min(...samples.ratio))} to ${ratio(Math.max(...samples.ratio))} |`,
  `| Rule / baseline per ESLint stats, each file's median over the lints (GC pauses left out), summed | ${ms(ruleFileMedians)} / ${ms(baselineFileMedians)} = ${ratio(ruleFileMedians / baselineFileMedians)} |`,
  `| Time added over a no-rule lint: \`no-close-on-evict\` | ${ms(ruleAddedMs)} |`,
  `| Time added over a no-rule lint: baseline \`no-restricted-syntax\` (2 selectors) | ${ms(baselineAddedMs)} |`,
  `| **Rule / baseline, time added** | **${(ruleAddedMs / baselineAddedMs).toFixed(2)}x** |`,
  `| Rule time per ESLint stats in a full lint (@eslint/js + typescript-eslint recommended + this plugin) | ${ms(median(samples.fullRule))} of ${ms(median(samples.fullTotal))} |`,
  `| **Rule share of full lint time** | **${(share * 100).toFixed(2)} %** |`,
  `| Rule time per ESLint stats in a typed lint (typescript-eslint \`recommendedTypeChecked\` + this plugin's, ${typedRuns} runs) | ${ms(median(typedSamples.rule))} of ${ms(median(typedSamples.total))} |`,
  `| **Rule share of typed lint time** (goal: at most 5 %) | **${(typedShare * 100).toFixed(2)} %** |`,
  `| Rule reports on the corpus | ${corpusReports.length} untyped, ${typedReports.length} typed (baseline: ${baselineCorpusReports}) |`,
  `| Our reconstructed bug shapes caught (\`test/fixtures/bug-shapes\`, not public files) | rule ${ruleCaught} of ${shapes}, baseline ${baselineCaught} of ${shapes} |`,
  `| Our correct twins flagged (\`test/fixtures/correct-shapes\`) | rule ${ruleNoise} of ${correctShapes}, baseline ${baselineNoise} of ${correctShapes} |`,
].join('\n');

console.log(table);
if (corpusReports.length > 0) console.log(`\nReports on the corpus:\n${corpusReports.join('\n')}`);
if (typedReports.length > 0) console.log(`\nReports on the corpus with types:\n${typedReports.join('\n')}`);

// What an editor user waits for, and recall on real public files (their own modules).
const editorTable = await languageServerTable();
const corpus = await measureCorpus();
console.log(`\n${editorTable}\n\n${corpus.report}`);

if (process.argv.includes('--write-readme')) {
  writeReadmeSection('bench table', table);
  writeReadmeSection('editor bench', editorTable);
  writeCorpusFigures(corpus);
}

// Last: the rule over every file of the workspace's node_modules (it reads the same arguments).
await import('./node-modules.js');
