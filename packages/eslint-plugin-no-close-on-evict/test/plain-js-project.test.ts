import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLOSING_CACHE, DROPPING_CACHE, temporaryProject } from './projects.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface LintResult {
  filePath: string;
  messages: { ruleId: string; messageId: string; line: number }[];
}

// A user's JavaScript project: the packed plugin (built dist) and ESLint from the npm registry,
// installed without peer dependencies so that `typescript` is absent.
describe('a plain JavaScript project installed with npm', () => {
  const project = temporaryProject({
    'package.json': JSON.stringify({ name: 'plain-js-app', private: true, type: 'module' }),
    'eslint.config.js': `import noCloseOnEvict from 'eslint-plugin-no-close-on-evict';\nexport default [noCloseOnEvict.configs.recommended];\n`,
    'bad.js': CLOSING_CACHE,
    'good.js': DROPPING_CACHE,
  });
  afterAll(project.remove);

  beforeAll(async () => {
    await run(npm, ['pack', '--pack-destination', project.dir], { cwd: packageDir });
    const tarball = readdirSync(project.dir).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball; build the plugin first (pnpm build)');
    await run(
      npm,
      ['install', '--legacy-peer-deps', '--no-audit', '--no-fund', `./${tarball}`, 'eslint@^10'],
      { cwd: project.dir },
    );
  }, 120_000);

  it('installs without TypeScript', () => {
    expect(existsSync(join(project.dir, 'node_modules/eslint-plugin-no-close-on-evict'))).toBe(true);
    expect(existsSync(join(project.dir, 'node_modules/typescript'))).toBe(false);
  });

  it('reports the bad file and not the good one through npx eslint', async () => {
    const lint = run('npx', ['--no-install', 'eslint', '--format', 'json', 'bad.js', 'good.js'], { cwd: project.dir });
    // ESLint exits 1 when it reports errors; the JSON report is on stdout either way.
    const { stdout } = await lint.catch((error: { stdout: string; code: number }) => {
      expect(error.code).toBe(1);
      return error;
    });
    const results = JSON.parse(stdout) as LintResult[];
    const byFile = Object.fromEntries(results.map((result) => [result.filePath.slice(project.dir.length + 1), result.messages]));
    expect(byFile).toEqual({
      'bad.js': [expect.objectContaining({ ruleId: 'no-close-on-evict/no-close-on-evict', messageId: 'closeOnEvict', line: 7 })],
      'good.js': [],
    });
  }, 60_000);
});
