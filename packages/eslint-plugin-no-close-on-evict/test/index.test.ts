import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

describe('runtime dependencies', () => {
  // The npm test proves it in a real project; this one needs no registry. CommonJS resolution of
  // `typescript` is made to fail, then the built plugin is loaded and run.
  it('loads and lints without resolving typescript', async () => {
    const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `
      const Module = require('node:module');
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'typescript' || request.startsWith('typescript/')) throw new Error('typescript was loaded');
        return resolve.call(this, request, ...rest);
      };
      (async () => {
        const { Linter } = await import('eslint');
        const plugin = (await import(${JSON.stringify(built)})).default;
        const messages = new Linter().verify('function evictOne(c) { c.close(); }', [plugin.configs.recommended]);
        console.log(JSON.stringify(messages.map((message) => message.messageId)));
      })();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(JSON.parse(stdout)).toEqual(['closeOnEvict']);
  });

  // What the README tells eslint.config.cjs users: require(esm) gives the module, the plugin is `.default`.
  it('is the default export when required from CommonJS', async () => {
    const script = `
      const plugin = require(${JSON.stringify(fileURLToPath(new URL('../dist/index.js', import.meta.url)))}).default;
      console.log(JSON.stringify(Object.keys(plugin.configs)));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
    expect(JSON.parse(stdout)).toEqual(['recommended', 'strict']);
  });
});
