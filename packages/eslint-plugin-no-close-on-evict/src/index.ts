// ESLint's own config types, so `configs.recommended` drops into `defineConfig([...])` and
// `new ESLint({ overrideConfig })` without casts in a user's TypeScript config.
import type { ESLint, Linter } from 'eslint';

import type { NoCloseOnEvictOptions } from './options.js';

import noCloseOnEvict from './rules/no-close-on-evict.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './util/links.js';

export type { NoCloseOnEvictOptions } from './options.js';

const namespace = 'no-close-on-evict';

const rules = {
  'no-close-on-evict': noCloseOnEvict,
};

type ConfigName = 'recommended' | 'recommendedTypeChecked' | 'strict' | 'strictTypeChecked';

interface Plugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  configs: Record<ConfigName, Linter.Config>;
}

const plugin: Plugin = {
  meta: { name: PACKAGE_NAME, version: PACKAGE_VERSION, namespace },
  rules,
  configs: {} as Plugin['configs'],
};

/** Config names in typescript-eslint's style: `no-close-on-evict/recommended-type-checked`. */
const kebab = (name: ConfigName): string => name.replace(/[A-Z]/gu, (letter) => `-${letter.toLowerCase()}`);

// Configs refer back to the plugin object, so they are attached after it exists.
const configs: Record<ConfigName, NoCloseOnEvictOptions | undefined> = {
  recommended: undefined,
  strict: { reportGuarded: true },
  // Type information follows calls, callbacks and abort listeners into other files of the program.
  recommendedTypeChecked: { typeChecked: true },
  strictTypeChecked: { reportGuarded: true, typeChecked: true },
};
for (const [name, options] of Object.entries(configs) as [ConfigName, NoCloseOnEvictOptions | undefined][]) {
  plugin.configs[name] = {
    name: `${namespace}/${kebab(name)}`,
    plugins: { [namespace]: plugin as unknown as ESLint.Plugin },
    rules: { [`${namespace}/no-close-on-evict`]: options ? ['error', options] : 'error' },
  };
}

export default plugin;
