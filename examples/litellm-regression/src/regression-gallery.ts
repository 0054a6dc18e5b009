// The two versions of LiteLLM's client cache and the two checks run on each: the lint rule and
// the e2e harness. Shared by `pnpm demo` and this example's tests.
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import noCloseOnEvict from 'eslint-plugin-no-close-on-evict';
import { checkEvictionSafety, inMemoryCacheAdapter, type EvictionPath, type Report } from '@no-close-on-evict/e2e-harness';
import { RegressedLLMClientCache } from './regressed-llm-client-cache.js';
import { FixedLLMClientCache } from './fixed-llm-client-cache.js';

export const SOURCE_DIR = fileURLToPath(new URL('../src/', import.meta.url));

export interface Version {
  name: 'regressed' | 'fixed';
  /** Source file, relative to SOURCE_DIR. */
  file: string;
  create(clock: () => number): RegressedLLMClientCache | FixedLLMClientCache;
  /** The regressed cache must be caught by both checks, the fix by neither. */
  expectCaught: boolean;
}

export const VERSIONS: readonly Version[] = [
  {
    name: 'regressed',
    file: 'regressed-llm-client-cache.ts',
    create: (clock) => new RegressedLLMClientCache({ maxSize: 4, clock }),
    expectCaught: true,
  },
  {
    name: 'fixed',
    file: 'fixed-llm-client-cache.ts',
    create: (clock) => new FixedLLMClientCache({ maxSize: 4, clock }),
    expectCaught: false,
  },
];

/** Lints one version's source with the plugin's recommended config, as an editor would. */
export async function lintVersion(version: Version): Promise<Linter.LintMessage[]> {
  const eslint = new ESLint({
    cwd: SOURCE_DIR,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, noCloseOnEvict.configs.recommended],
  });
  const [result] = await eslint.lintFiles([version.file]);
  return result?.messages ?? [];
}

/** Runs the harness on one version, one eviction path. */
export function checkVersion(version: Version, path: EvictionPath): Promise<Report> {
  const cache = inMemoryCacheAdapter({ name: `${version.name} LLMClientCache`, create: ({ clock }) => version.create(clock) });
  return checkEvictionSafety({ cache, paths: [path] });
}
