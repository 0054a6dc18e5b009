import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

describe('plugin object', () => {
  it('names itself from package.json, under the no-close-on-evict namespace', () => {
    expect(plugin.meta).toEqual({ name: manifest.name, version: manifest.version, namespace: 'no-close-on-evict' });
  });

  it('gives every rule a docs URL pointing at its doc in the repository', () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs?.url).toMatch(new RegExp(`/packages/eslint-plugin-no-close-on-evict/docs/rules/${name}\\.md$`));
    }
  });

  it('ships flat configs that register the plugin and enable the rule', () => {
    const { recommended, strict } = plugin.configs;
    expect(recommended.plugins?.['no-close-on-evict']).toBe(plugin);
    expect(strict.plugins?.['no-close-on-evict']).toBe(plugin);
    expect(recommended.rules).toEqual({ 'no-close-on-evict/no-close-on-evict': 'error' });
    expect(strict.rules).toEqual({ 'no-close-on-evict/no-close-on-evict': ['error', { reportGuarded: true }] });
  });
});
