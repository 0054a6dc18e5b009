// The repo lints itself with its own rule: eviction never closes a client, here either.
import js from '@eslint/js';
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import noCloseOnEvict from 'eslint-plugin-no-close-on-evict';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Files that close on eviction on purpose: the demo and the tests lint or run them to prove the
// rule and the harness catch the bug. Everything else must pass `recommended`.
const intentionallyRegressed = [
  'examples/litellm-regression/src/regressed-*.ts',
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.bench-corpus/**', '**/.bench-corpus/**', '**/coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/**', 'examples/**'],
    ignores: intentionallyRegressed,
    ...noCloseOnEvict.configs.recommended,
  },
  {
    files: ['packages/eslint-plugin-no-close-on-evict/src/**/*.ts'],
    ...eslintPlugin.configs['rules-recommended'],
    rules: {
      ...eslintPlugin.configs['rules-recommended'].rules,
      'eslint-plugin/require-meta-docs-url': 'error',
      'eslint-plugin/require-meta-docs-description': 'error',
    },
  },
  {
    files: ['packages/eslint-plugin-no-close-on-evict/test/**/*.ts'],
    ...eslintPlugin.configs['tests-recommended'],
  },
);
