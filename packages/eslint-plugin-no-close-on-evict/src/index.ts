// ESLint's own config types, so `configs.recommended` drops into `defineConfig([...])` and
// `new ESLint({ overrideConfig })` without casts in a user's TypeScript config.
import type { ESLint, Linter } from 'eslint';

import { createRequire } from 'node:module';

import noCloseOnEvict from './rules/no-close-on-evict.js';

export type { NoCloseOnEvictOptions } from './options.js';

const { name, version } = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

const namespace = 'no-close-on-evict';

const rules = {
  'no-close-on-evict': noCloseOnEvict,
};

interface Plugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  configs: { recommended: Linter.Config; strict: Linter.Config };
}

const plugin: Plugin = {
  meta: { name, version, namespace },
  rules,
  configs: {} as Plugin['configs'],
};

// Configs refer back to the plugin object, so they are attached after it exists.
plugin.configs.recommended = {
  name: `${namespace}/recommended`,
  plugins: { [namespace]: plugin as unknown as ESLint.Plugin },
  rules: { [`${namespace}/no-close-on-evict`]: 'error' },
};
plugin.configs.strict = {
  name: `${namespace}/strict`,
  plugins: { [namespace]: plugin as unknown as ESLint.Plugin },
  rules: { [`${namespace}/no-close-on-evict`]: ['error', { reportGuarded: true }] },
};

export default plugin;
