import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
let workDir: string;

// Parsing the standard library dominates each program; the programs here share parsed files.
const parsed = new Map<string, ts.SourceFile | undefined>();
function sharingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    if (!parsed.has(fileName)) parsed.set(fileName, read(fileName, languageVersion, ...rest));
    return parsed.get(fileName);
  };
  return host;
}

const consumerOptions = (lib: string[]): ts.CompilerOptions => ({
  target: ts.ScriptTarget.ES2022,
  lib: lib.map((name) => `lib.${name.toLowerCase()}.d.ts`),
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  types: [],
});

// The package as a consumer installs it, built from the sources so the test needs no prior
// build: node_modules/@no-close-on-evict/cache-core with its package.json and dist/.
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'cache-core-consumer-'));
  const installed = join(workDir, 'node_modules', '@no-close-on-evict', 'cache-core');
  await mkdir(installed, { recursive: true });
  await cp(join(packageDir, 'package.json'), join(installed, 'package.json'));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    declaration: true,
    rootDir: join(packageDir, 'src'),
    outDir: join(installed, 'dist'),
    types: [],
  };
  const emitted = ts.createProgram([join(packageDir, 'src', 'index.ts'), join(packageDir, 'src', 'option-checks.ts')], options, sharingHost(options)).emit();
  expect(emitted.emitSkipped).toBe(false);
  await writeFile(join(workDir, 'package.json'), '{ "type": "module" }');
  await writeFile(
    join(workDir, 'consumer.ts'),
    [
      "import { ClientCache, type ClientLease } from '@no-close-on-evict/cache-core';",
      "import { describeValue } from '@no-close-on-evict/cache-core/option-checks';",
      'export const cache = new ClientCache<{ close(): void }>({ closeEvicted: "when-released" });',
      "export const lease: ClientLease<{ close(): void }> = cache.lease('k', () => ({ close() {} }));",
      'export const shown: string = describeValue(lease.client);',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(workDir, 'consumer.mjs'),
    "export { describeValue } from '@no-close-on-evict/cache-core/option-checks';\nexport { ClientCache } from '@no-close-on-evict/cache-core';\n",
  );
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Type errors of a strict consumer (`skipLibCheck: false`) built with the given `lib`. */
function consumerErrors(lib: string[]): string[] {
  const options = consumerOptions(lib);
  const program = ts.createProgram([join(workDir, 'consumer.ts')], options, sharingHost(options));
  return ts.getPreEmitDiagnostics(program).map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('a TypeScript consumer of the built package', () => {
  it('with lib ES2022 alone fails on the disposable types only (TS2550/TS2304), as the README warns', () => {
    const errors = consumerErrors(['ES2022']);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toMatch(/^TS(2550: .*'(asyncDispose|dispose)'|2304: Cannot find name '(Async)?Disposable')/);
  });

  it("compiles with the README's lib setting, both entry points included", async () => {
    const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
    const setting = /```json\n(.*"lib".*)\n```/.exec(readme)?.[1];
    const { lib } = (JSON.parse(setting ?? '{}') as { compilerOptions?: { lib?: string[] } }).compilerOptions ?? {};
    expect(lib).toContain('esnext.disposable');
    expect(consumerErrors(lib ?? [])).toEqual([]);
  });

  it('resolves the option-checks subpath at run time through the exports map', async () => {
    const consumer = (await import(pathToFileURL(join(workDir, 'consumer.mjs')).href)) as { describeValue: (value: unknown) => string; ClientCache: unknown };
    expect(consumer.describeValue([])).toBe('an array');
    expect(typeof consumer.ClientCache).toBe('function');
  });
});
