import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';

import { RuleTester } from '@typescript-eslint/rule-tester';
import { createRequire } from 'node:module';
import { describe } from 'vitest';

import type { MessageIds, Options } from '../src/rules/no-close-on-evict.js';

import rule from '../src/rules/no-close-on-evict.js';

// ESLint's own default parser, resolved the way ESLint resolves it.
const espree = createRequire(createRequire(import.meta.url).resolve('eslint'))('espree') as { parse: unknown };

const typescriptTester = new RuleTester();
// ESLint reads `sourceType` (and adds `require` as a global) although the tester's types omit it.
const COMMONJS = { languageOptions: { sourceType: 'commonjs' } as never };
// The rule tester depends on an older @typescript-eslint/utils whose types differ only nominally.
const testedRule = rule as unknown as Parameters<RuleTester['run']>[1];
const espreeTester = new RuleTester({
  languageOptions: { parser: espree as never, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
});

/** One expected report, located by the first occurrence of `at` in the case's code. */
export interface Expected {
  at: string;
  messageId?: MessageIds;
  /** Text the suggestion replaces and its replacement; `false` when no suggestion is expected. */
  fix?: [string, string] | false;
  data?: { call: string; path: string };
}

/** A bug shape and its correct twin: `bad` must report, `good` must not. */
export interface Shape {
  name: string;
  bad: string;
  good: string;
  reports: (Expected | string)[];
  /** Options for both twins. */
  options?: Options[0];
  /** Options for the bad twin only, overriding `options`. */
  badOptions?: Options[0];
  /** A CommonJS module: `require` is a global, as in `.cjs` files or with `globals.node`. */
  commonjs?: boolean;
  /** Uses syntax only the TypeScript parser reads. */
  typescriptOnly?: boolean;
}

function position(code: string, snippet: string): { line: number; column: number } {
  const index = code.indexOf(snippet);
  if (index < 0) throw new Error(`test case: ${JSON.stringify(snippet)} is not in the code`);
  const before = code.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function replaceOnce(code: string, [from, to]: [string, string]): string {
  if (!code.includes(from)) throw new Error(`test case: fix text ${JSON.stringify(from)} is not in the code`);
  return code.replace(from, to);
}

function toInvalid(shape: Shape): InvalidTestCase<MessageIds, Options> {
  return {
    name: shape.name,
    code: shape.bad,
    ...(shape.commonjs ? COMMONJS : {}),
    ...(shape.badOptions || shape.options ? { options: [{ ...shape.options, ...shape.badOptions }] } : {}),
    errors: shape.reports.map((expected) => {
      const { at, messageId = 'closeOnEvict', fix = [`${at};`, ''], data } =
        typeof expected === 'string' ? { at: expected } : expected;
      return {
        messageId,
        ...position(shape.bad, at),
        ...(data ? { data } : {}),
        suggestions: fix ? [{ messageId: 'removeClose' as const, output: replaceOnce(shape.bad, fix) }] : [],
      };
    }),
  };
}

function toValid(shape: Shape): ValidTestCase<Options> {
  return {
    name: `${shape.name} (correct twin)`,
    code: shape.good,
    ...(shape.commonjs ? COMMONJS : {}),
    ...(shape.options ? { options: [shape.options] } : {}) };
}

/** Runs every shape with @typescript-eslint/parser, and the JavaScript ones with espree too. */
export function runShapes(title: string, shapes: readonly Shape[], extraValid: readonly ValidTestCase<Options>[] = []): void {
  const suite = (list: readonly Shape[], valid: readonly ValidTestCase<Options>[]) => ({
    valid: [...list.map(toValid), ...valid],
    invalid: list.map(toInvalid),
  });
  describe(`${title} (@typescript-eslint/parser)`, () => {
    typescriptTester.run('no-close-on-evict', testedRule, suite(shapes, extraValid));
  });
  describe(`${title} (espree)`, () => {
    espreeTester.run('no-close-on-evict', testedRule, suite(shapes.filter((shape) => !shape.typescriptOnly), extraValid));
  });
}
