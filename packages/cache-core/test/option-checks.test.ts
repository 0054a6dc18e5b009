import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { describeValue, rejectUnknownKeys, requireFunction, requireNumber, requireObject } from '../src/option-checks.js';

class Agent {}

describe('describeValue: one wording for every bad value', () => {
  it.each([
    ['100', '"100"'],
    ['', '""'],
    [42, '42'],
    [-0, '-0'],
    [Number.NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    [10n, '10n'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [Symbol('ttl'), 'Symbol(ttl)'],
    [function read() {}, 'function read'],
    [() => 0, 'an anonymous function'],
    [[1, 2], 'an array'],
    [{ a: 1 }, 'an object'],
    [Object.create(null) as object, 'an object'],
    [new Agent(), 'an instance of Agent'],
    [new Map(), 'an instance of Map'],
  ])('%o reads as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });
});

describe('option checks', () => {
  it('requireObject accepts objects and names anything else, arrays included', () => {
    const options = { a: 1 };
    expect(requireObject('options', options)).toBe(options);
    expect(() => requireObject('api options', [])).toThrow(new TypeError('api options must be an object, got an array'));
    expect(() => requireObject('options', null)).toThrow(new TypeError('options must be an object, got null'));
    expect(() => requireObject('options', 'x')).toThrow(TypeError);
  });

  it('rejectUnknownKeys lists every unknown own key at once, and ignores inherited ones', () => {
    expect(() => rejectUnknownKeys('options', { settleCap: 5, clients: [], typo: 1 }, ['clients', 'settleCapMs'])).toThrow(
      new TypeError('options has unknown key(s) "settleCap", "typo"; known: clients, settleCapMs'),
    );
    const inherited = Object.create({ inheritedTypo: 1 }) as object;
    expect(() => rejectUnknownKeys('options', inherited, ['clients'])).not.toThrow();
    expect(() => rejectUnknownKeys('options', { clients: [] }, ['clients'])).not.toThrow();
  });

  it('requireFunction and requireNumber name the option and the value', () => {
    const fn = () => 1;
    expect(requireFunction('closeClient', fn)).toBe(fn);
    expect(() => requireFunction('closeClient', 'close')).toThrow(new TypeError('closeClient must be a function, got "close"'));
    expect(requireNumber('ttlMs', 5)).toBe(5);
    expect(() => requireNumber('ttlMs', '5')).toThrow(new TypeError('ttlMs must be a number, got "5"'));
  });
});

describe('the option-checks subpath export', () => {
  it('maps @no-close-on-evict/cache-core/option-checks to the built module and its types', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, { types: string; default: string }>;
      files: string[];
    };
    expect(manifest.exports['./option-checks']).toEqual({ types: './dist/option-checks.d.ts', default: './dist/option-checks.js' });
    expect(manifest.files).toContain('dist');
    // The built module is what `src/option-checks.ts` compiles to (tsconfig.build.json: src -> dist).
    await expect(readFile(new URL('../src/option-checks.ts', import.meta.url), 'utf8')).resolves.toContain('export function describeValue');
  });
});
