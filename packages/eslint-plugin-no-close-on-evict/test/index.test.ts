import { Linter } from 'eslint';
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

  it('ships flat configs that register the plugin and enable the rule, typed ones next to untyped ones', () => {
    const { recommended, strict, recommendedTypeChecked, strictTypeChecked } = plugin.configs;
    for (const config of [recommended, strict, recommendedTypeChecked, strictTypeChecked]) {
      expect(config.plugins?.['no-close-on-evict']).toBe(plugin);
    }
    expect(recommended).toMatchObject({ name: 'no-close-on-evict/recommended', rules: { 'no-close-on-evict/no-close-on-evict': 'error' } });
    expect(strict).toMatchObject({ name: 'no-close-on-evict/strict', rules: { 'no-close-on-evict/no-close-on-evict': ['error', { reportGuarded: true }] } });
    expect(recommendedTypeChecked).toMatchObject({
      name: 'no-close-on-evict/recommended-type-checked',
      rules: { 'no-close-on-evict/no-close-on-evict': ['error', { typeChecked: true }] },
    });
    expect(strictTypeChecked).toMatchObject({
      name: 'no-close-on-evict/strict-type-checked',
      rules: { 'no-close-on-evict/no-close-on-evict': ['error', { reportGuarded: true, typeChecked: true }] },
    });
  });
});

describe('one Linter over many files', () => {
  // `create` runs per file and per rule id; nothing a file's lint sees may leak into another's.
  const lint = (code: string, configs: Linter.Config[]) => new Linter().verify(code, configs).map((message) => `${message.ruleId}:${message.line}`);
  const bad = 'function evictOne(c) {\n  c.close();\n}\n';
  const good = 'function evictOne(c) {\n  retired.add(c);\n}\n';
  const under = (name: string, options?: object): Linter.Config => ({
    plugins: { [name]: plugin as never },
    rules: { [`${name}/no-close-on-evict`]: options ? ['error', options] : 'error' },
  });

  it('keeps files apart: a report in one file does not leak into the next', () => {
    const linter = new Linter();
    const ids = (code: string) => linter.verify(code, [plugin.configs.recommended]).map((message) => `${message.ruleId}:${message.line}`);
    expect(ids(bad)).toEqual(['no-close-on-evict/no-close-on-evict:2']);
    expect(ids(good)).toEqual([]);
    expect(ids(bad)).toEqual(['no-close-on-evict/no-close-on-evict:2']);
  });

  it('reports under each name when the plugin is registered under two, with the same settings or not', () => {
    expect(lint(bad, [under('a'), under('b', { reportGuarded: true })])).toEqual(['a/no-close-on-evict:2', 'b/no-close-on-evict:2']);
    expect(lint(bad, [under('a'), under('b')])).toEqual(['a/no-close-on-evict:2', 'b/no-close-on-evict:2']);
  });

  // A rule of the test's own that lints another file from inside this file's walk, so the rule's
  // `create` runs again before this file's `Program:exit`.
  const nestedLint = (inner: string, seen: string[]): Linter.Config => ({
    plugins: {
      nest: {
        rules: {
          'lint-another-file': {
            create: () => ({
              FunctionDeclaration: () => void seen.push(...lint(inner, [plugin.configs.recommended])),
            }),
          },
        },
      } as never,
    },
    rules: { 'nest/lint-another-file': 'error' },
  });

  it('keeps files apart when a file is linted while another is being linted', () => {
    const inner: string[] = [];
    expect(lint(good, [plugin.configs.recommended, nestedLint(bad, inner)])).toEqual([]);
    expect(inner).toEqual(['no-close-on-evict/no-close-on-evict:2']);
    inner.length = 0;
    expect(lint(bad, [plugin.configs.recommended, nestedLint(good, inner)])).toEqual(['no-close-on-evict/no-close-on-evict:2']);
    expect(inner).toEqual([]);
  });

  it('still reports in a file during whose walk another lint threw before its end', () => {
    const throwing: Linter.Config = {
      plugins: { boom: { rules: { throws: { create: () => ({ CallExpression: () => { throw new Error('boom'); } }) } } } as never },
      rules: { 'boom/throws': 'error' },
    };
    const failed: unknown[] = [];
    const lintThatThrows: Linter.Config = {
      plugins: {
        nest: {
          rules: {
            'lint-and-fail': {
              create: () => ({
                Program: () => {
                  try {
                    lint(bad, [plugin.configs.recommended, throwing]);
                  } catch (error) {
                    failed.push(error);
                  }
                },
              }),
            },
          },
        } as never,
      },
      rules: { 'nest/lint-and-fail': 'error' },
    };
    expect(lint(bad, [lintThatThrows, plugin.configs.recommended])).toEqual(['no-close-on-evict/no-close-on-evict:2']);
    expect(failed).toHaveLength(1);
  });

  it('still reports in the next file after a lint that stopped before its end (a rule threw)', () => {
    const throwing: Linter.Config = {
      plugins: { boom: { rules: { throws: { create: () => ({ CallExpression: () => { throw new Error('boom'); } }) } } } as never },
      rules: { 'boom/throws': 'error' },
    };
    expect(() => lint(bad, [plugin.configs.recommended, throwing])).toThrow('boom');
    expect(lint(good, [plugin.configs.recommended])).toEqual([]);
    expect(lint(bad, [plugin.configs.recommended])).toEqual(['no-close-on-evict/no-close-on-evict:2']);
  });
});

describe('runtime dependencies', () => {
  // The npm test proves it in a real project; this one needs no registry. CommonJS resolution of
  // `typescript` is made to fail, then the built plugin is loaded and run, the type-checked
  // config included: without type information it works as the untyped one and never throws.
  it('loads and lints without resolving typescript, with every config', async () => {
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
        const ids = Object.values(plugin.configs).flatMap((config) =>
          new Linter().verify('function evictOne(c) { c.close(); }', [config]).map((message) => message.messageId),
        );
        console.log(JSON.stringify(ids));
      })();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(JSON.parse(stdout)).toEqual(['closeOnEvict', 'closeOnEvict', 'closeOnEvict', 'closeOnEvict']);
  });

  // What the README tells eslint.config.cjs users: require(esm) gives the module, the plugin is `.default`.
  it('is the default export when required from CommonJS', async () => {
    const script = `
      const plugin = require(${JSON.stringify(fileURLToPath(new URL('../dist/index.js', import.meta.url)))}).default;
      console.log(JSON.stringify(Object.keys(plugin.configs)));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
    expect(JSON.parse(stdout)).toEqual(['recommended', 'strict', 'recommendedTypeChecked', 'strictTypeChecked']);
  });
});
