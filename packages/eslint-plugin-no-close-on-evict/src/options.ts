/**
 * The rule's options, described once: each entry of `OPTIONS` holds the description (the schema
 * and the generated docs read it), the default and the schema. The options type, `defaultOptions`
 * and the schema are derived from it; `compileSettings` turns a set of options into the
 * predicates the analysis asks (see `analysis/settings.ts`).
 */
import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';

import type { Settings } from './analysis/settings.js';

import { joinedSource } from './analysis/settings.js';

interface OptionSpec<Value> {
  description: string;
  default: Value;
  schema: JSONSchema4;
}

const patterns = (description: string, defaults: string[]): OptionSpec<string[]> => ({
  description,
  default: defaults,
  schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
});
const names = patterns;

const CLOSING_VERBS = [
  'close',
  'aclose',
  'destroy',
  'end',
  'disconnect',
  '$disconnect',
  'quit',
  'terminate',
  'logout',
  'shutdown',
  'dispose',
  '[Symbol.dispose]',
  '[Symbol.asyncDispose]',
];

/** Nouns that count holders or uses of a client: `liveStreams`, `pendingRequests`, `useCount`. */
const HOLDER_NOUNS = 'count|requests|connections|streams|calls|clients|users|holders|leases|sessions|subscribers|consumers|handles|waiters';

export const OPTIONS = {
  evictionNames: patterns(
    'Regular expressions for names of functions and methods that evict cache entries. Default: `removeKey` / `_removeKey` / `remove_key`; names starting with `evict`; `expire`, `prune`, `purge`, `reap` and `sweep` unless the next word sets a deadline (`expireAt`) or says the values are already unusable (`pruneDead`, `reapClosed`); and `clear`, `cleanup`, `remove`, `delete` or `drop` followed by `Expired`, `Stale`, `Old`, `Oldest` or `Lru` (not `Idle`: a pool removing idle members closes what nobody borrowed).',
    [
      '^_?remove(?:Key|_key)$',
      '^_?evict(?![a-z])',
      '^_?(?:expire|prune|purge|reap|sweep)(?![a-z])(?!_?(?:[Aa]t|[Aa]fter|[Bb]efore|[Ii]n|[Oo]n|[Dd]ead|[Cc]losed|[Bb]roken|[Ff]ailed|[Dd]isconnected)(?![a-z]))',
      '^_?(?:clear|clean_?[Uu]p|remove|delete|drop)_?(?:[Ee]xpired|[Ss]tale|[Oo]ld(?:est)?|[Ll]ru|LRU)(?![a-z])',
    ],
  ),
  handlerNames: patterns(
    'Regular expressions for names of eviction handlers: callbacks a cache runs for an entry it drops, as functions, parameters or stored fields. Default: `onEvict*`, and `onExpire`, `onRemove`, `onDelete` with an optional `d`/`s` and an entry word (`onExpired`, `onDeleteValue`). UI handlers such as `onDeleteClick` are not eviction.',
    ['^onEvict', '^on(?:Expire|Remove|Delete)[ds]?(?:Entry|Entries|Key|Keys|Value|Values)?$'],
  ),
  cacheNames: patterns(
    'Regular expressions for names of classes and factories from elsewhere that make a cache (`ClientCache`, `createClientCache`): a function handed to one that closes a value it is given is an eviction callback. A cache defined in the file, or reached through types, is judged by its body instead.',
    ['(?:Cache|LRU|Lru)$'],
  ),
  closingMethods: names('Method names that close the value they are called on, whatever it is.', CLOSING_VERBS),
  valueClosingMethods: names(
    'Method names that close the value they are called on when it is the evicted value itself (a parameter or local of the eviction path: `worker.kill()`), not something it owns (`entry.heartbeat.stop()`).',
    ['stop', 'kill'],
  ),
  closerHelpers: patterns(
    'Regular expressions for names of helpers from elsewhere that close their first argument (a helper defined in the file, or reached through types, is judged by its body). Checks and bookkeeping such as `isClosed` or `recordClose` are not closers.',
    [
      '^(?:close|destroy|disconnect)(?:[A-Z_]\\w*)?$',
      '^(?:safe|safely|force|try|quiet|quietly|graceful|gracefully)_?(?:[Cc]lose|[Dd]estroy|[Dd]isconnect)(?:[A-Z_]\\w*)?$',
    ],
  ),
  shutdownNames: names(
    "Names of the cache's own teardown: called with no argument on `this` or as a plain function (`this.closeAll()`, `this.close()`), neither reported nor followed. Given an argument, such a method closes what it is given.",
    ['closeAll', 'stop', ...CLOSING_VERBS],
  ),
  inUseGuards: patterns(
    'Case-insensitive regular expressions for identifiers that make a condition an in-use check: ref counts, leases, holders, and idle/busy/active/live/pending counts (`liveStreams`, `isIdle()`). Staleness thresholds such as `maxIdleMs` are not guards.',
    [
      `^(?:is_?|has_?|num_?|n_?)?(?:in_?use|idle|busy|active|running|pending|waiting|in_?flight|borrowed|checked_?out|leased)(?:_?(?:${HOLDER_NOUNS}))?$`,
      `^(?:num_?|n_?)?(?:live|open|outstanding|attached)_?(?:${HOLDER_NOUNS})$`,
      '^_?(?:ref_?count|refs|references|leases?|lease_?count|holders?|holder_?count|borrowers?|(?:use|usage|user|stream|request|subscriber|consumer)s?_?count)$',
    ],
  ),
  reportGuarded: {
    description: 'Also report closes behind an in-use check: such a check sees the requests in flight now, not holders that kept a reference. On in the `strict` configs.',
    default: false as boolean,
    schema: { type: 'boolean' },
  },
  maxDepth: {
    description: 'How many calls deep to follow from an eviction path.',
    default: 4 as number,
    schema: { type: 'integer', minimum: 0, maximum: 16 },
  },
  typeChecked: {
    description:
      'Use type information to follow calls, callbacks and abort listeners into other files of the TypeScript program (needs `parserOptions.projectService` or `project`; without a program it has no effect). On in the `*TypeChecked` configs.',
    default: false as boolean,
    schema: { type: 'boolean' },
  },
} satisfies Record<string, OptionSpec<unknown>>;

type OptionName = keyof typeof OPTIONS;

/** Options of `no-close-on-evict/no-close-on-evict`; each is described in `OPTIONS`. Every list replaces its default. */
export type NoCloseOnEvictOptions = { [Name in OptionName]?: (typeof OPTIONS)[Name]['default'] };

const OPTION_NAMES = Object.keys(OPTIONS) as OptionName[];

export const defaultOptions = Object.fromEntries(OPTION_NAMES.map((name) => [name, OPTIONS[name].default])) as Required<NoCloseOnEvictOptions>;

export const optionsSchema: JSONSchema4 = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(OPTION_NAMES.map((name) => [name, { ...OPTIONS[name].schema, description: OPTIONS[name].description }])),
};

type PatternOption = 'cacheNames' | 'closerHelpers' | 'evictionNames' | 'handlerNames' | 'inUseGuards';

function compilePatterns(option: PatternOption, sources: readonly string[], flags = 'u'): RegExp[] {
  return sources.map((source) => {
    try {
      return new RegExp(source, flags);
    } catch (error) {
      throw new TypeError(
        `no-close-on-evict: option "${option}" has an invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  });
}

/**
 * A test of a name against every pattern of a list, as one expression when they join: V8 compiles
 * an expression again after garbage collection has dropped its code, and on a lint's rare paths
 * (the analysis runs for a few files) that compiling costs more than the matching.
 */
function anyOf(patternList: readonly RegExp[]): (name: string) => boolean {
  const joined = joinedSource(
    patternList.map((pattern) => pattern.source),
    patternList[0]?.flags ?? '',
  );
  if (joined !== undefined) {
    const pattern = new RegExp(joined, patternList[0]!.flags);
    return (name) => pattern.test(name);
  }
  // A loop rather than `some`, which would allocate a closure per call.
  return (name) => {
    for (const pattern of patternList) if (pattern.test(name)) return true;
    return false;
  };
}

function memberOf(list: readonly string[]): (name: string) => boolean {
  const set = new Set(list);
  return (name) => set.has(name);
}

const escapeRegExp = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/]/gu, '\\$&');

/**
 * An escape that may spell part of a name in a string, a template or an identifier: any but those
 * for a control character, a quote or a backslash (`\x63`, `\u0063`, octal, `\c` for `c`, a line
 * continuation). Regular expression literals (`\d`, `\.`) match too, which only lets more through.
 */
const ESCAPE_SPELLING = String.raw`\\[^bfnrtv'"\\\x60]`;
// ASCII only: a Unicode class costs more to compile than the probe saves, and a narrower class
// only lets more texts through.
const IDENTIFIER_PART = String.raw`[\w$]`;

/**
 * `Settings.textMayNameClose`. A closing method is a whole word of the text. A name a closer
 * pattern matches holds a match of the pattern without its `^` and `$` (dropping an assertion
 * only widens what a pattern matches), and so does the text; a pattern asserting anything else
 * (`\b`, a lookaround) lets every text through. A name spelled with escapes is not in the text
 * as written, so a text with such an escape passes too.
 */
function textMayNameClose(merged: Required<NoCloseOnEvictOptions>): (text: string) => boolean {
  // A `[Symbol.dispose]` method is called as `v[Symbol.dispose]()`.
  const methods = [...merged.closingMethods, ...merged.valueClosingMethods].map((name) => escapeRegExp(/^\[Symbol\.(.+)\]$/u.exec(name)?.[1] ?? name));
  const sources = [`(?<!${IDENTIFIER_PART})(?:${methods.join('|')})(?!${IDENTIFIER_PART})`, ESCAPE_SPELLING];
  for (const source of merged.closerHelpers) {
    const body = source.replace(/^\^/u, '').replace(/(?<!\\)\$$/u, '');
    if (/[$^]|\(\?<?[=!]|\\[bB]/u.test(body)) return () => true;
    sources.push(body);
  }
  return anyOf(sources.map((source) => new RegExp(source, 'u')));
}

function compile(merged: Required<NoCloseOnEvictOptions>): Settings {
  const evictionNames = compilePatterns('evictionNames', merged.evictionNames);
  const handlerNames = compilePatterns('handlerNames', merged.handlerNames);
  const cacheNames = compilePatterns('cacheNames', merged.cacheNames);
  return {
    isEvictionName: anyOf(evictionNames),
    isHandlerName: anyOf(handlerNames),
    isCacheName: anyOf(cacheNames),
    isClosingMethod: memberOf(merged.closingMethods),
    isValueClosingMethod: memberOf(merged.valueClosingMethods),
    isCloserHelper: anyOf(compilePatterns('closerHelpers', merged.closerHelpers)),
    textMayNameClose: textMayNameClose(merged),
    isShutdownName: memberOf(merged.shutdownNames),
    isInUseGuard: anyOf(compilePatterns('inUseGuards', merged.inUseGuards, 'iu')),
    namePatterns: { eviction: evictionNames, handler: handlerNames, cache: cacheNames },
    reportGuarded: merged.reportGuarded,
    maxDepth: merged.maxDepth,
    typeChecked: merged.typeChecked,
  };
}

// Options objects that hold the same values (each config ESLint merges, RuleTester's cases) find
// their settings by comparing values: far cheaper than compiling the patterns again, and than
// merging the defaults in first. Arrays are compared element by element too, for callers that
// copy them. The rule checks the last object it saw by identity before calling this.
const compiledByValues: { options: Required<NoCloseOnEvictOptions>; settings: Settings }[] = [];

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

function sameOptions(compiled: Required<NoCloseOnEvictOptions>, options: NoCloseOnEvictOptions): boolean {
  for (const name of OPTION_NAMES) if (!sameValue(compiled[name], options[name] ?? defaultOptions[name])) return false;
  return true;
}

/**
 * Compiles options once per distinct set of values (the rule's `create` runs once per file).
 * ESLint has merged the defaults in already; any option still missing falls back to its default.
 */
export function compileSettings(options: NoCloseOnEvictOptions = defaultOptions): Settings {
  for (const entry of compiledByValues) if (sameOptions(entry.options, options)) return entry.settings;
  const merged = { ...defaultOptions, ...options };
  const settings = compile(merged);
  // A handful of configs per run; the bound keeps a long-lived editor process from growing.
  if (compiledByValues.push({ options: merged, settings }) > 16) compiledByValues.shift();
  return settings;
}
