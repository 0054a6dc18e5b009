import type { Settings } from './settings.js';

import { CACHE_LIBRARIES, HOOK_KEYS } from './cache-libraries.js';
import { TIMER_FUNCTIONS } from './insertion-timers.js';
import { joinedSource } from './settings.js';

/*
 * Selectors for the nodes that can make a file worth analysing. ESLint matches them while it
 * walks the tree anyway, so files with none (nearly all) cost the rule one `create` call. They
 * may match more than the analysis accepts (a key holding another value, a computed name, every
 * numeric key), never less: the analysis takes its named paths from these matches.
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
/** Numeric keys (`7() {}`), named by their value: a pattern, which esquery tests on strings only, never matches them. */
const NUMERIC_KEY_TESTS = ['[parent.key.value=type(number)]', '[parent.key.value=type(bigint)]'];
/**
 * `[Symbol.x]` keys are named `[Symbol.x]`, a string no path holds: such functions are checked by
 * name, except well-known symbols whose name no pattern matches (`[Symbol.asyncIterator]() {}` is
 * common, and each check is a listener call).
 */
const SYMBOL_KEY_PATHS = ['parent.key', 'parent.left.property'];
const WELL_KNOWN_SYMBOLS = Object.getOwnPropertyNames(Symbol).filter((name) => typeof Symbol[name as keyof SymbolConstructor] === 'symbol');

function symbolKeyTests(settings: Settings): string[] {
  const unnamed = WELL_KNOWN_SYMBOLS.filter((name) => !settings.isEvictionName(`[Symbol.${name}]`) && !settings.isHandlerName(`[Symbol.${name}]`));
  const skip = (path: string): string => (unnamed.length === 0 ? '' : `:not([${path}.property.name=/^(?:${unnamed.join('|')})$/u])`);
  return SYMBOL_KEY_PATHS.map((path) => `[${path}.object.name="Symbol"]${skip(path)}`);
}

/**
 * One pattern for all name patterns, or undefined when esquery could not read it or combining
 * could change what one matches: esquery before 1.7 ends a regular expression at `/`, and 1.7
 * rejects an empty class (`[]`, valid in JavaScript).
 */
function combinedPattern(patterns: readonly RegExp[]): string | undefined {
  const sources = patterns.map((pattern) => pattern.source);
  if (sources.some((source) => source.includes('/') || source.includes('[]'))) return undefined;
  return joinedSource(sources, 'u');
}

/** A parameter's name, plain or with a default, in the first four positions. */
const PARAMETER_PATHS = [0, 1, 2, 3].flatMap((index) => [`params.${index}.name`, `params.${index}.left.name`]);

const escape = (text: string): string => text.replace(/[.]/gu, '\\.').replace(/\//gu, '\\x2F');
const MODULE_PATTERN = `/^(?:${CACHE_LIBRARIES.map(({ module }) => escape(module)).join('|')})$/`;
const TIMER_PATTERN = `/^(?:${[...TIMER_FUNCTIONS].join('|')})$/`;
const HOOK_PATTERN = `/^(?:${[...HOOK_KEYS].join('|')})$/`;
/** What removes an entry, in each form `memberName` reads (`m.delete(k)`, `m['delete'](k)`, `this.#delete(k)`), and `delete o[k]`. */
const REMOVALS = [
  ...['property.name', 'property.value', 'property.quasis.0.value.cooked'].map((path) => `CallExpression[callee.${path}="delete"]`),
  'UnaryExpression[operator="delete"]',
].join(', ');

/**
 * One selector per kind of node, each a `:matches` of its forms: the rule's `create` runs for
 * every file, and each listener it returns is a property it builds.
 */
export interface FileTriggers {
  /** Functions that may be named as eviction paths or handlers; the rule checks the name. */
  namedFunctions: string;
  /** Imports and `require`s of a cache library of the table. */
  cacheImports: string;
  /** Parameters, parameter properties and fields named as eviction handlers: a hand-rolled cache's callback. */
  handlerSlots: string;
  /** Callbacks of `setTimeout` / `setInterval` that remove something: maybe a hand-rolled TTL. */
  timerCallbacks: string;
  /** Hook keys of the cache-library table in an object: maybe options shaped like a cache's. */
  cacheOptionHooks: string;
  /** Functions handed to a class or factory named like a cache, directly or as an option (`createClientCache(…, (k, v) => …)`). */
  cacheCallbacks: string;
}

const anyOf = (selectors: readonly string[]): string => (selectors.length === 1 ? selectors[0]! : `:matches(${selectors.join(', ')})`);

const triggersBySettings = new WeakMap<Settings, FileTriggers>();

/** The selectors of nodes that make a file worth analysing with these settings (see above). */
export function fileTriggers(settings: Settings): FileTriggers {
  let triggers = triggersBySettings.get(settings);
  if (!triggers) {
    const names = combinedPattern([...settings.namePatterns.eviction, ...settings.namePatterns.handler]);
    const nameTests =
      names === undefined ? undefined : [...NAME_PATHS.map((path) => `[${path}=/${names}/u]`), ...symbolKeyTests(settings), ...NUMERIC_KEY_TESTS];
    const handler = combinedPattern(settings.namePatterns.handler);
    const cache = combinedPattern(settings.namePatterns.cache);
    // Without a pattern esquery can hold, every candidate is checked by name.
    const named = (path: string): string => (handler === undefined ? '' : `[${path}=/${handler}/u]`);
    triggers = {
      namedFunctions: nameTests ? `:function:matches(${nameTests.join(', ')})` : ':function',
      cacheImports: anyOf([
        `ImportDeclaration[source.value=${MODULE_PATTERN}]`,
        `TSImportEqualsDeclaration[moduleReference.expression.value=${MODULE_PATTERN}]`,
        `CallExpression[callee.name="require"][arguments.0.value=${MODULE_PATTERN}]`,
      ]),
      handlerSlots: anyOf([
        // Tested on functions, not on every identifier: the first four parameters, plain or with a default.
        handler === undefined ? ':function' : `:function:matches(${PARAMETER_PATHS.map(named).join(', ')})`,
        `:function > ObjectPattern.params > Property${named('key.name')}`,
        `TSParameterProperty${named('parameter.name')}`,
        `TSParameterProperty${named('parameter.left.name')}`,
        `AssignmentExpression${named('left.property.name')}`,
      ]),
      timerCallbacks: `:function:matches([parent.callee.name=${TIMER_PATTERN}], [parent.callee.property.name=${TIMER_PATTERN}]):has(${REMOVALS})`,
      cacheOptionHooks: `ObjectExpression > Property[key.name=${HOOK_PATTERN}]`,
      cacheCallbacks:
        cache === undefined
          ? // Distinct from `namedFunctions`' own fallback: each is a key of the rule's listeners.
            ':matches(:function)'
          : `:function:matches(${['parent', 'parent.parent.parent'].flatMap((call) => [`[${call}.callee.name=/${cache}/u]`, `[${call}.callee.property.name=/${cache}/u]`]).join(', ')})`,
    };
    triggersBySettings.set(settings, triggers);
  }
  return triggers;
}
