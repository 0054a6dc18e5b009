import type { Settings } from '../options.js';

import { CACHE_MODULES } from './eviction-paths.js';

/*
 * Selectors for the nodes that can make a file worth analysing: a function whose name may mark
 * an eviction path, and an import or `require` of a cache library. ESLint matches them while it
 * walks the tree anyway, so files with neither (nearly all) cost the rule one `create` call. They
 * may match more than the analysis accepts (a key holding another value, a computed name), never
 * less, except for numeric keys (`1() {}`), whose names no selector holds as a string.
 */

/** Where `functionName` finds a name, seen from the function: its id, then the parent's key, variable or target. */
const NAME_PATHS = [
  'id.name',
  'parent.key.name',
  'parent.key.value',
  'parent.key.quasis.0.value.cooked',
  'parent.id.name',
  'parent.left.name',
  'parent.left.property.name',
  'parent.left.property.value',
  'parent.left.property.quasis.0.value.cooked',
];
/** `[Symbol.x]` keys are named `[Symbol.x]`, a string no path holds: such functions are always checked by name. */
const SYMBOL_KEY_PATHS = ['parent.key.object.name', 'parent.left.property.object.name'];

/**
 * One pattern for all name patterns, or undefined when esquery could not read it or combining
 * could change what one matches: esquery before 1.7 ends a regular expression at `/`, and
 * numbered backreferences would shift.
 */
function combinedNamePattern(sources: readonly string[]): string | undefined {
  // esquery 1.7 also rejects an empty class (`[]`, valid in JavaScript).
  if (sources.some((source) => source.includes('/') || source.includes('[]') || /\\(?:[1-9]|k<)/u.test(source))) return undefined;
  const combined = sources.map((source) => `(?:${source})`).join('|');
  try {
    new RegExp(combined, 'u');
  } catch {
    // Before V8 12.5, two patterns naming the same group cannot share one expression.
    return undefined;
  }
  return combined;
}

const MODULE_PATTERN = `/^(?:${[...CACHE_MODULES].map((module) => String(module).replace(/[.]/gu, '\\.').replace(/\//gu, '\\x2F')).join('|')})$/`;
const CACHE_IMPORT_SELECTORS = [
  `ImportDeclaration[source.value=${MODULE_PATTERN}]`,
  `TSImportEqualsDeclaration[moduleReference.expression.value=${MODULE_PATTERN}]`,
  `CallExpression[callee.name="require"][arguments.0.value=${MODULE_PATTERN}]`,
];

const selectorsBySettings = new WeakMap<Settings, readonly string[]>();

/** The selectors of nodes that make a file worth analysing with these settings (see above). */
export function evictionPathSelectors(settings: Settings): readonly string[] {
  let selectors = selectorsBySettings.get(settings);
  if (!selectors) {
    const pattern = combinedNamePattern([...settings.evictionNames, ...settings.handlerNames].map((regExp) => regExp.source));
    const nameTests =
      pattern === undefined
        ? undefined
        : [...NAME_PATHS.map((path) => `[${path}=/${pattern}/u]`), ...SYMBOL_KEY_PATHS.map((path) => `[${path}="Symbol"]`)];
    // Without a pattern every function is checked by name.
    selectors = [nameTests ? `:function:matches(${nameTests.join(', ')})` : ':function', ...CACHE_IMPORT_SELECTORS];
    selectorsBySettings.set(settings, selectors);
  }
  return selectors;
}
