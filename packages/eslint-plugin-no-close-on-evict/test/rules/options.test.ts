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

  it('finds functions named by a numeric key, which no name pattern in a selector can match', () => {
    const options = { evictionNames: ['^7$'] };
    expect(lint('const o = { 7(c) {\n  c.close();\n} };\n', options).map((message) => message.line)).toEqual([2]);
    expect(lint("import LRU from 'lru-cache';\nconst o = { 7(c) {\n  c.close();\n} };\n", options).map((message) => message.line)).toEqual([3]);
    expect(lint('const o = { 8(c) {\n  c.close();\n} };\n', options)).toEqual([]);
  });

  it('joins a name list into one expression only when that keeps what each pattern matches (numbered backreferences)', () => {
    const options = { evictionNames: ['^(d)rop$', '^(x)\\1Old$'] };
    expect(lint('function xxOld(c) {\n  c.close();\n}\n', options).map((message) => message.line)).toEqual([2]);
    expect(lint('function xdOld(c) {\n  c.close();\n}\n', options)).toEqual([]);
  });
});

describe('the text probe that spares the analysis of files naming no close', () => {
  const { textMayNameClose } = compileSettings(defaultOptions);

  it('passes every text that names a close in a form the analysis recognises', () => {
    for (const text of ['c.close()', 'c?.end?.()', 'c[Symbol.asyncDispose]()', "c['destroy']()", 'const { close } = c', 'closeQuietly(c)', 'c.$disconnect()', 'worker.kill()', "c['\\x63lose']()", 'c.clo\\u0073e()']) {
      expect(textMayNameClose(text), text).toBe(true);
    }
  });

  it('stops texts whose words only contain a closing verb', () => {
    for (const text of ['buffer.append(x)', 'if (c.isClosed) return', 'pending.endsWith(x)', 'this.stopped = true', 'const ended = 1']) {
      expect(textMayNameClose(text), text).toBe(false);
    }
  });

  it('still reports closes named with escapes, and through closer patterns it cannot read unanchored', () => {
    for (const spelled of ["c['\\x63lose']()", "c['clos\\e']()", "c[`clos\\e`]()", "c['clo\\\nse']()"]) {
      expect(lint(`function evictOne(c) {\n  ${spelled};\n}\n`, {}).map((message) => message.line), spelled).toEqual([2]);
    }
    const options = { closerHelpers: ['^retire(?!d)'] };
    expect(compileSettings({ ...defaultOptions, ...options }).textMayNameClose('nothing here')).toBe(true);
    expect(lint('function evictOne(c) {\n  retireNow(c);\n}\n', options).map((message) => message.line)).toEqual([2]);
    expect(lint('function evictOne(c) {\n  retired(c);\n}\n', options)).toEqual([]);
  });
});
