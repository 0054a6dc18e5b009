import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
const sourceEntry = join(packageDir, 'src', 'index.ts');
const workDir = await mkdtemp(join(tmpdir(), 'cache-core-readme-'));

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('README examples', () => {
  it('has the four documented examples', () => {
    expect(examples).toHaveLength(4);
  });

  it.each(examples.map((code, index) => [index + 1, code]))('example %i runs and its assertions hold', async (index, code) => {
    // Run against the sources, so the examples hold without a build.
    const runnable = String(code).replaceAll("'@no-close-on-evict/cache-core'", JSON.stringify(sourceEntry));
    expect(runnable).not.toBe(code);
    const file = join(workDir, `example-${index}.ts`);
    await writeFile(file, runnable);
    await import(pathToFileURL(file).href);
  });
});
