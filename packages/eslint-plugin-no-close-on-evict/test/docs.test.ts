import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

describe('documentation', () => {
  it.each(Object.keys(plugin.rules))('has a doc for %s with rationale and examples', (name) => {
    const doc = new URL(`../docs/rules/${name}.md`, import.meta.url);
    expect(existsSync(doc)).toBe(true);
    const text = readFileSync(doc, 'utf8');
    expect(text).toContain('Examples of **incorrect** code');
    expect(text).toContain('Examples of **correct** code');
  });

  // Reads the built plugin (dist), like the `docs:check` script in CI.
  it('keeps the generated README and doc sections current (eslint-doc-generator --check)', async () => {
    const bin = fileURLToPath(new URL('../node_modules/eslint-doc-generator/dist/bin/eslint-doc-generator.js', import.meta.url));
    await expect(run(process.execPath, [bin, '--check'], { cwd: packageDir })).resolves.toBeDefined();
  }, 30_000);
});
