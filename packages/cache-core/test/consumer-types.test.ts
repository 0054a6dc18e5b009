import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
let outDir: string;

// The declarations a consumer gets, emitted from the sources so the test needs no prior build.
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'cache-core-types-'));
  const program = ts.createProgram([join(packageDir, 'src', 'index.ts')], {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: join(packageDir, 'src'),
    outDir,
    types: [],
  });
  const emitted = program.emit();
  expect(emitted.emitSkipped).toBe(false);
  await writeFile(join(outDir, 'package.json'), '{ "type": "module" }');
  await writeFile(
    join(outDir, 'consumer.ts'),
    "import { ClientCache } from './index.js';\nexport const cache = new ClientCache<{ close(): void }>();\n",
  );
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Type errors of a strict consumer (`skipLibCheck: false`) built with the given `lib`. */
function consumerErrors(lib: string[]): string[] {
  const program = ts.createProgram([join(outDir, 'consumer.ts')], {
    target: ts.ScriptTarget.ES2022,
    lib: lib.map((name) => `lib.${name.toLowerCase()}.d.ts`),
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: false,
    noEmit: true,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('a TypeScript consumer of the declarations', () => {
  it('with lib ES2022 alone fails on Symbol.asyncDispose (TS2550), as the README warns', () => {
    const errors = consumerErrors(['ES2022']);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => error.startsWith('TS2550') && error.includes("'asyncDispose'"))).toBe(true);
  });

  it("compiles with the README's lib setting", async () => {
    const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
    const setting = /```json\n(.*"lib".*)\n```/.exec(readme)?.[1];
    const { lib } = (JSON.parse(setting ?? '{}') as { compilerOptions?: { lib?: string[] } }).compilerOptions ?? {};
    expect(lib).toContain('esnext.disposable');
    expect(consumerErrors(lib ?? [])).toEqual([]);
  });
});
