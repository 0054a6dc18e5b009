/**
 * Recall and false positives of the rule on real public files, per config of the built plugin.
 *
 * `references.json` names each file (a GitHub repository, commit and path, or an npm package
 * version and a path in its tarball), a hand label (`bad`: the file closes an evicted value;
 * `safe`: it evicts without closing what others hold), the lines where the close happens, and the
 * files the close lives in when it is not in the file itself. No third-party code is kept in this
 * repository: the files are re-read into a scratch folder outside it on every run, GitHub files
 * from local mirrors (`git --git-dir <mirror> show <commit>:<path>`), npm files with `npm pack`.
 * A reference that cannot be re-read is listed as such and left out of the figures, never skipped
 * in silence.
 *
 * A bad file counts as caught when a report of the rule lands within TOLERANCE lines of one of its
 * close lines (in the file or in a related file); a safe file counts as a false positive when the
 * rule reports anything in it. Typed configs lint with a generated tsconfig over the scratch files
 * (allowJs), so related files are part of the program; a reference whose imports go through
 * aliases or workspace package names gives their TypeScript `paths` and gets a tsconfig of its own.
 *
 *   tsx corpus/measure.ts                 print the figures
 *   tsx corpus/measure.ts --write-readme  also replace the figures in README.md
 *   CORPUS_MIRRORS=/path                  where the GitHub mirrors live (default /work/.mirror)
 *   CORPUS_ONLY=id,id                     measure only these references (while working on the rule)
 */
import type { Linter } from 'eslint';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { hasReadmeSection, writeReadmeSection } from '../bench/readme-section.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const RULE_ID = 'no-close-on-evict/no-close-on-evict';
/** How far (in lines) a report may land from the recorded close and still count as catching it. */
const TOLERANCE = 3;
const mirrorsDir = process.env.CORPUS_MIRRORS ?? '/work/.mirror';

interface RelatedFile {
  path: string;
  /** Lines in this file where the close (or the call that reaches it) happens. */
  lines?: number[];
}

interface Reference {
  id: string;
  label: 'bad' | 'safe';
  /** How the close is reached (bad) or how eviction stays safe (safe). */
  shape: string;
  /** The indirections on the way to the close (a helper, a method, another file, a deferral). */
  via?: string[];
  source: { repo: string; commit: string; path: string } | { npm: string; path: string };
  /** Bad files: the lines of the close or of the call in the eviction path that reaches it. */
  lines?: number[];
  /** Files of the same source that the close lives in (an imported wrapper, a helper, a class). */
  related?: RelatedFile[];
  /**
   * TypeScript `paths` of the source (relative to the repository root), so that the typed lint
   * resolves the aliases or workspace package names through which the file imports its related files.
   */
  paths?: Record<string, string[]>;
  reason: string;
}

interface Unreadable {
  reference: Reference;
  why: string;
}

const only = process.env['CORPUS_ONLY']?.split(',');
const references = (JSON.parse(readFileSync(join(packageDir, 'corpus/references.json'), 'utf8')) as Reference[]).filter(
  ({ id }) => !only || only.includes(id),
);

const describeSource = ({ source }: Reference): string =>
  'repo' in source ? `${source.repo}@${source.commit.slice(0, 10)}:${source.path}` : `${source.npm}:${source.path}`;

/** The mirror's git directory (`fetch` leaves either a bare `repo` or a `repo/.git`). */
function mirrorGitDir(repo: string): string | undefined {
  const base = join(mirrorsDir, repo.replace('/', '+'), 'repo');
  if (existsSync(join(base, '.git'))) return join(base, '.git');
  return existsSync(base) ? base : undefined;
}

const run = promisify(execFile);

/** Tarballs outlive a run (outside the repository), so later runs skip npm. */
const tarballDir = join(tmpdir(), 'no-close-on-evict-corpus-tarballs');

/**
 * The tarball of every npm package version the references name, packed a few at a time into
 * `tarballDir` unless an earlier run left it there. Each spec maps to its tarball or to the reason
 * it could not be had.
 */
async function packAll(specs: string[]): Promise<Map<string, string | Error>> {
  mkdirSync(tarballDir, { recursive: true });
  const tarballs = new Map<string, string | Error>();
  const queue = [...new Set(specs)];
  const worker = async (): Promise<void> => {
    for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) {
      const into = join(tarballDir, spec.replace(/[/@]/gu, '_'));
      const known = existsSync(into) ? readdirSync(into).find((name) => name.endsWith('.tgz')) : undefined;
      if (known) {
        tarballs.set(spec, join(into, known));
        continue;
      }
      try {
        mkdirSync(into, { recursive: true });
        const { stdout } = await run('npm', ['pack', spec, '--silent', '--prefer-offline', '--pack-destination', into]);
        tarballs.set(spec, join(into, stdout.trim().split('\n').pop()!));
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr?.trim();
        tarballs.set(spec, new Error(`npm pack ${spec} failed: ${stderr || (error as Error).message}`));
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return tarballs;
}

/** Extracts `paths` (inside the package) from a tarball in one pass into the scratch folder; returns its `package/`. */
function extract(tarball: string, paths: string[], scratch: string): string {
  const into = join(scratch, 'npm', tarball.slice(tarballDir.length + 1));
  mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', into, ...paths.map((path) => `package/${path}`)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return join(into, 'package');
}

/** Writes the reference's file and its related files under `scratch/files/<id>/`; throws with the reason on failure. */
function materialize(reference: Reference, scratch: string, tarballs: Map<string, string | Error>): void {
  const paths = [reference.source.path, ...(reference.related ?? []).map((file) => file.path)];
  const read: (path: string) => string =
    'repo' in reference.source
      ? (() => {
          const { repo, commit } = reference.source;
          const gitDir = mirrorGitDir(repo);
          if (!gitDir) throw new Error(`no mirror of ${repo} under ${mirrorsDir} (bring it with the search tool's fetch)`);
          return (path: string) =>
            execFileSync('git', ['--git-dir', gitDir, 'show', `${commit}:${path}`], {
              encoding: 'utf8',
              stdio: ['ignore', 'pipe', 'pipe'],
              maxBuffer: 64 * 1024 * 1024,
            });
        })()
      : (() => {
          const tarball = tarballs.get(reference.source.npm);
          if (tarball === undefined || tarball instanceof Error) throw tarball ?? new Error(`${reference.source.npm} was not packed`);
          const root = extract(tarball, paths, scratch);
          return (path: string) => readFileSync(join(root, path), 'utf8');
        })();
  for (const path of paths) {
    const target = join(scratch, 'files', reference.id, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, read(path));
  }
}

const plugin = (await import(pathToFileURL(join(packageDir, 'dist/index.js')).href)).default as {
  configs: Record<string, Linter.Config>;
};

/** The configs measured: the untyped ones always, the typed ones when the built plugin exports them. */
const CONFIG_NAMES = ['recommended', 'strict', 'recommendedTypeChecked', 'strictTypeChecked'] as const;
const TYPED = new Set<string>(['recommendedTypeChecked', 'strictTypeChecked']);

interface ConfigFigures {
  config: string;
  caught: Reference[];
  missed: { reference: Reference; reportedLines: number[] }[];
  falsePositives: { reference: Reference; reportedLines: number[] }[];
  unparsed: { reference: Reference; message: string }[];
  ms: number;
}

/** The scratch paths of a reference's file and related files, relative to `files/`. */
const filesOf = (reference: Reference): string[] =>
  [reference.source.path, ...(reference.related ?? []).map((file) => file.path)].map((path) => `${reference.id}/${path}`);

const COMPILER_OPTIONS = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  target: 'es2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  skipLibCheck: true,
  jsx: 'preserve',
};

/**
 * Writes the tsconfigs of the typed lint: one per reference that carries `paths` (listed first by
 * `tsconfigsOf`, so that its files get the program that resolves its aliases), and one over the
 * files of every other reference.
 */
function writeTsconfigs(readable: Reference[], root: string): void {
  for (const reference of readable.filter(({ paths }) => paths)) {
    writeFileSync(
      join(root, reference.id, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, paths: reference.paths }, files: filesOf(reference).map((path) => path.slice(reference.id.length + 1)) }),
    );
  }
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: readable.filter(({ paths }) => !paths).flatMap(filesOf) }));
}

const tsconfigsOf = (readable: Reference[], root: string): string[] => [
  ...readable.filter(({ paths }) => paths).map(({ id }) => join(root, id, 'tsconfig.json')),
  join(root, 'tsconfig.json'),
];

async function lintCorpus(config: string, readable: Reference[], scratch: string): Promise<ConfigFigures> {
  const root = join(scratch, 'files');
  const typed = TYPED.has(config);
  const languageOptions: Linter.LanguageOptions = {
    parser: tsParser as Linter.Parser,
    ecmaVersion: 'latest',
    sourceType: 'module',
    parserOptions: {
      ecmaFeatures: { jsx: true },
      ...(typed ? { project: tsconfigsOf(readable, root), tsconfigRootDir: root } : {}),
    },
  };
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    // A disable comment in a third-party file must not hide a report.
    allowInlineConfig: false,
    overrideConfig: [
      { files: ['**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}'], languageOptions },
      { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
      plugin.configs[config]!,
    ],
  });
  const started = performance.now();
  // Exactly the referenced files: a glob would also pick up files a reference does not name.
  const results = await eslint.lintFiles(readable.flatMap(filesOf));
  const ms = performance.now() - started;

  const reportsByFile = new Map<string, number[]>();
  const unparsed: ConfigFigures['unparsed'] = [];
  for (const result of results) {
    const relative = result.filePath.slice(root.length + 1);
    const fatal = result.messages.find((message) => message.fatal);
    if (fatal) {
      const reference = readable.find(({ id }) => relative.startsWith(`${id}/`));
      if (reference) unparsed.push({ reference, message: `${relative}:${fatal.line} ${fatal.message}` });
      continue;
    }
    reportsByFile.set(
      relative,
      result.messages.filter((message) => message.ruleId === RULE_ID).map((message) => message.line),
    );
  }

  const figures: ConfigFigures = { config, caught: [], missed: [], falsePositives: [], unparsed, ms };
  const isUnparsed = (reference: Reference): boolean => unparsed.some((entry) => entry.reference === reference);
  for (const reference of readable) {
    if (isUnparsed(reference)) continue;
    const mainReports = reportsByFile.get(`${reference.id}/${reference.source.path}`) ?? [];
    if (reference.label === 'safe') {
      if (mainReports.length > 0) figures.falsePositives.push({ reference, reportedLines: mainReports });
      continue;
    }
    const near = (reports: number[], lines: number[] | undefined): boolean =>
      reports.some((line) => (lines ?? []).some((expected) => Math.abs(line - expected) <= TOLERANCE));
    const caught =
      near(mainReports, reference.lines) ||
      (reference.related ?? []).some((file) => near(reportsByFile.get(`${reference.id}/${file.path}`) ?? [], file.lines));
    if (caught) figures.caught.push(reference);
    else figures.missed.push({ reference, reportedLines: mainReports });
  }
  return figures;
}

const percent = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${Math.round((100 * part) / whole)} %`);

/** Two sentences for the README's "What it catches, measured" section. */
function summarize(all: ConfigFigures[], readable: Reference[]): string {
  const badFiles = readable.filter((reference) => reference.label === 'bad');
  const safeCount = readable.length - badFiles.length;
  const perConfig = all.map(
    (figures) =>
      `\`${figures.config}\` catches ${figures.caught.length} of ${badFiles.length} bad files (${percent(figures.caught.length, badFiles.length)}) and reports ${figures.falsePositives.length} of ${safeCount} safe ones`,
  );
  const shapes = [...new Set(badFiles.map(({ shape }) => shape))].sort();
  const best = (shape: string): number =>
    Math.max(0, ...all.map((figures) => figures.caught.filter((reference) => reference.shape === shape).length));
  const missedShapes = shapes
    .filter((shape) => best(shape) < badFiles.filter((reference) => reference.shape === shape).length)
    .map((shape) => `${shape} (${best(shape)} of ${badFiles.filter((reference) => reference.shape === shape).length})`);
  return [
    `On ${readable.length} real public files labelled by hand (${badFiles.length} bad, ${safeCount} safe), ${perConfig.join('; ')}.`,
    `Shapes not fully caught: ${missedShapes.join(', ') || 'none'}. The files, the misses and the false positives are listed in [Measured on real public code](#measured-on-real-public-code).`,
  ].join('\n');
}

function render(all: ConfigFigures[], readable: Reference[], unreadable: Unreadable[]): string {
  const badFiles = readable.filter((reference) => reference.label === 'bad');
  const safeCount = readable.length - badFiles.length;
  const configs = all.map(({ config }) => `\`${config}\``);
  const lines = [
    `Corpus: ${references.length} references, ${readable.length} re-read (${badFiles.length} bad, ${safeCount} safe); ESLint ${ESLint.version}, Node ${process.version}. A bad file counts as caught when a report lands within ${TOLERANCE} lines of its close (or of the call on the eviction path that reaches it).`,
    '',
    '| Config | Bad files caught (recall) | Safe files reported (false positives) | Files that did not parse |',
    '| :-- | --: | --: | --: |',
  ];
  for (const figures of all) {
    const linted = figures.caught.length + figures.missed.length;
    lines.push(
      `| \`${figures.config}\` | ${figures.caught.length} of ${linted} (${percent(figures.caught.length, linted)}) | ${figures.falsePositives.length} of ${safeCount} | ${figures.unparsed.length} |`,
    );
  }

  // Recall by shape: which ways of reaching the close each config follows.
  const shapes = [...new Set(badFiles.map(({ shape }) => shape))].sort();
  lines.push('', `| Bad shape | Files | ${configs.join(' | ')} |`, `| :-- | --: |${' --: |'.repeat(all.length)}`);
  for (const shape of shapes) {
    const ofShape = badFiles.filter((reference) => reference.shape === shape);
    const caught = all.map((figures) => figures.caught.filter((reference) => reference.shape === shape).length);
    lines.push(`| ${shape} | ${ofShape.length} | ${caught.join(' | ')} |`);
  }

  if (unreadable.length > 0) {
    lines.push('', `Could not re-read ${unreadable.length} reference(s), left out of the figures:`);
    for (const { reference, why } of unreadable) lines.push(`- \`${reference.id}\` (${describeSource(reference)}): ${why}`);
  }

  const missedBy = (reference: Reference): string[] =>
    all.filter((figures) => figures.missed.some((miss) => miss.reference === reference)).map(({ config }) => config);
  const missed = badFiles.filter((reference) => missedBy(reference).length > 0);
  if (missed.length > 0) {
    lines.push('', 'Missed bad files (the configs that miss each; reports elsewhere in the file in brackets):');
    for (const reference of missed) {
      const reported = all
        .flatMap((figures) => figures.missed.filter((miss) => miss.reference === reference && miss.reportedLines.length > 0))
        .map(({ reportedLines }) => reportedLines.join(', '));
      const via = reference.via ? ` via ${reference.via.join(', ')}` : '';
      lines.push(
        `- \`${reference.id}\` (${reference.shape}${via}; ${describeSource(reference)}:${reference.lines?.join(',')}): missed by ${missedBy(reference).join(', ')}${reported.length > 0 ? ` [reported at line ${reported[0]}]` : ''}`,
      );
    }
  }
  for (const figures of all) {
    for (const { reference, reportedLines } of figures.falsePositives) {
      lines.push(`- false positive of \`${figures.config}\`: \`${reference.id}\` (${reference.shape}; ${describeSource(reference)}), reported at line ${[...new Set(reportedLines)].join(', ')}${reportedLines.length > 1 ? ` (${reportedLines.length} reports)` : ''}`);
    }
    for (const { reference, message } of figures.unparsed) lines.push(`- did not parse under \`${figures.config}\`: \`${reference.id}\`: ${message}`);
  }
  return lines.join('\n');
}

export interface CorpusMeasure {
  /** The full report: figures per config and per shape, misses, false positives, unreadable references. */
  report: string;
  /** A short summary for the README's "What it catches, measured" section. */
  summary: string;
}

/** Re-reads the corpus into a scratch folder, lints it with each config, and returns the report. */
export async function measureCorpus(): Promise<CorpusMeasure> {
  const scratch = mkdtempSync(join(tmpdir(), 'no-close-on-evict-corpus-'));
  try {
    const readable: Reference[] = [];
    const unreadable: Unreadable[] = [];
    const started = performance.now();
    const tarballs = await packAll(references.flatMap(({ source }) => ('npm' in source ? [source.npm] : [])));
    process.stderr.write(`corpus: npm sources packed in ${Math.round(performance.now() - started)} ms\n`);
    for (const reference of references) {
      try {
        materialize(reference, scratch, tarballs);
        readable.push(reference);
      } catch (error) {
        const why = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
        unreadable.push({ reference, why: why.split('\n')[0]! });
      }
    }
    writeTsconfigs(readable, join(scratch, 'files'));
    const all: ConfigFigures[] = [];
    for (const config of CONFIG_NAMES) {
      if (!plugin.configs[config]) continue;
      const figures = await lintCorpus(config, readable, scratch);
      process.stderr.write(`corpus: linted with ${config} in ${Math.round(figures.ms)} ms\n`);
      all.push(figures);
    }
    return { report: render(all, readable, unreadable), summary: summarize(all, readable) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the report, and the summary where the README has a place for it. */
export function writeCorpusFigures({ report, summary }: CorpusMeasure): void {
  writeReadmeSection('corpus figures', report);
  if (hasReadmeSection('real-code figures')) writeReadmeSection('real-code figures', summary);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const measure = await measureCorpus();
  console.log(measure.report);
  if (process.argv.includes('--write-readme')) writeCorpusFigures(measure);
}
