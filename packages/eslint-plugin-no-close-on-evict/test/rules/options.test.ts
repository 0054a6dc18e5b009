import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';
import { fileTriggers } from '../../src/analysis/file-triggers.js';
import { compileSettings, defaultOptions } from '../../src/options.js';

const guardedClose = 'function evictIdle(pool) {\n  if (pool.activeCount === 0) pool.end();\n}\n';

function lint(code: string, options: unknown): Linter.LintMessage[] {
  return new Linter().verify(code, [
    {
      plugins: { 'no-close-on-evict': plugin as never },
      rules: { 'no-close-on-evict/no-close-on-evict': ['error', options] as Linter.RuleEntry },
    },
  ]);
}

describe('rule options', () => {
  it('rejects unknown options through the schema, naming the property', () => {
    expect(() => lint(guardedClose, { evictNames: ['^drop'] })).toThrow(/evictNames/u);
  });

  it('rejects values of the wrong type through the schema', () => {
    expect(() => lint(guardedClose, { maxDepth: -1 })).toThrow(/Value -1 should be >= 0/u);
    expect(() => lint(guardedClose, { closingMethods: 'close' })).toThrow(/"close" should be array/u);
  });

  it('rejects an invalid regular expression with a TypeError naming the option and the value', () => {
    expect(() => lint(guardedClose, { evictionNames: ['^evict('] })).toThrow(
      /option "evictionNames" has an invalid regular expression "\^evict\("/u,
    );
  });

  it('merges user options with the defaults, so one option does not drop the others', () => {
    const reported = lint(guardedClose, { reportGuarded: true });
    expect(reported.map((message) => message.messageId)).toEqual(['closeOnEvictGuarded']);
    expect(lint(guardedClose, {})).toEqual([]);
  });

  it('replaces a default list when the option is given', () => {
    const code = 'function dropStale(pool) {\n  pool.release();\n}\n';
    expect(lint(code, {})).toEqual([]);
    const reported = lint(code, { evictionNames: ['^dropStale$'], closingMethods: ['release'] });
    expect(reported).toMatchObject([{ messageId: 'closeOnEvict', line: 2, column: 3 }]);
  });

  it('compiles settings once for options ESLint merges anew per file but with the same values', () => {
    const evictionNames = ['^dropStale$'];
    const first = compileSettings({ ...defaultOptions, evictionNames, reportGuarded: true });
    expect(compileSettings({ ...defaultOptions, evictionNames, reportGuarded: true })).toBe(first);
    expect(compileSettings({ ...defaultOptions, evictionNames, reportGuarded: false })).not.toBe(first);
  });

  it('keeps a name pattern holding `/` out of selectors, since esquery before 1.7 ends a regular expression there', () => {
    const { namedFunctions } = fileTriggers(compileSettings({ ...defaultOptions, evictionNames: ['^drop[/]?Old'] }));
    expect(namedFunctions).toBe(':function');
    expect(fileTriggers(compileSettings(defaultOptions)).namedFunctions).toMatch(/^:function:matches\(\[id\.name=\/\(\?:\^_\?remove/u);
  });

  it('keeps each trigger when several fall back to every function (patterns no selector can hold)', () => {
    // Both fall back to every function; the named eviction path and the callback handed to a cache are both still found.
    const options = { evictionNames: ['^drop[/]?Old'], cacheNames: ['Pool[/]?Cache$'] };
    const named = 'function dropOld(c) {\n  c.close();\n}\n';
    const handed = 'import { makePoolCache } from "./pools";\nexport const pools = makePoolCache((key, pool) => pool.end());\n';
    expect(lint(named, options).map((message) => message.line)).toEqual([2]);
    expect(lint(handed, options).map((message) => message.line)).toEqual([2]);
    expect(lint(handed.replace('pool.end()', 'retired.add(pool)'), options)).toEqual([]);
  });
});
