import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const packageDir = join(import.meta.dirname, '../..');
const fixtureDir = join(packageDir, 'test/fixtures/editor-workspace');

/** The ESLint lines installed in this package: `eslint` (10, the repo's) and `eslint-v9` (9.15). */
export type EslintLine = 'eslint' | 'eslint-v9';

/**
 * A copy of the editor fixture workspace in a temporary folder, with `node_modules/eslint` linked to
 * the chosen installed ESLint and `node_modules/eslint-plugin-no-close-on-evict` to this package
 * (its built `dist`): what the user's own install would give, with no network at test time.
 */
export function editorWorkspace(eslint: EslintLine): { dir: string; remove: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'no-close-on-evict-editor-')));
  cpSync(fixtureDir, dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(realpathSync(join(packageDir, 'node_modules', eslint)), join(dir, 'node_modules/eslint'), 'dir');
  symlinkSync(packageDir, join(dir, 'node_modules/eslint-plugin-no-close-on-evict'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
