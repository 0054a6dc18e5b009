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
  'compat/fixture/closing/**',
];

export default tseslint.config(
  {
    // Test fixtures are inputs (bug shapes the rule must catch, a vitest project run as a child), not code.
    ignores: ['**/dist/**', '**/node_modules/**', '**/.bench-corpus/**', '**/coverage/**', 'packages/*/test/fixtures/**'],
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
    files: ['packages/**', 'examples/**', 'compat/**'],
    ignores: intentionallyRegressed,
    ...noCloseOnEvict.configs.recommended,
  },
  {
    files: ['packages/eslint-plugin-no-close-on-evict/src/**/*.ts'],
    ...eslintPlugin.configs['rules-recommended'],
    rules: {
      ...eslintPlugin.configs['rules-recommended'].rules,
      'eslint-plugin/require-meta-docs-description': 'error',
      // RuleCreator adds meta.docs.url at run time, where this rule cannot see it;
      // the plugin's test/index.test.ts asserts every rule's url points at its doc.
      'eslint-plugin/require-meta-docs-url': 'off',
    },
  },
  {
    files: ['packages/eslint-plugin-no-close-on-evict/test/**/*.ts'],
    ...eslintPlugin.configs['tests-recommended'],
  },
);
