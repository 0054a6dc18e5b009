/**
 * Options of `no-close-on-evict/no-close-on-evict`. Every list replaces its default when given.
 * Patterns are JavaScript regular expression sources, matched against a bare name
 * (`evictOldest`, not `this.evictOldest`).
 */
export interface NoCloseOnEvictOptions {
  /**
   * Names of functions and methods that evict cache entries.
   * Default: `removeKey` / `_removeKey` / `remove_key`, names starting with `evict`, and names
   * starting with `expire`, `prune`, `purge` or `reap` (`pruneStale`, `reap_idle`) unless the next
   * word sets a deadline (`expireAt`, `expireAfter`) or says the values are already unusable
   * (`pruneDeadConnections`, `reapClosed`): nobody can be using those.
   */
  evictionNames?: string[];
  /**
   * Names of eviction handlers (callbacks a cache runs for an entry it drops).
   * Default: `onEvict*` (`onEviction`, `onEvictEntry`); `onExpire`, `onRemove`, `onDelete`, with
   * an optional `d`/`s` and an entry word (`onExpired`, `onRemoveEntry`, `onDeletedKey`). UI
   * handlers such as `onDeleteClick` or `onRemoveItem` are not eviction.
   */
  handlerNames?: string[];
  /**
   * Methods that close the value they are called on, matched exactly.
   * Default: `close`, `aclose`, `destroy`, `end`, `disconnect`, `$disconnect`, `quit`,
   * `terminate`, `logout`, `shutdown`, `dispose`, `[Symbol.dispose]`, `[Symbol.asyncDispose]`.
   */
  closingMethods?: string[];
  /**
   * Helpers that close their first argument (`closeQuietly(client)`, `safeClose(client)`), used
   * when the helper is not defined in the file (a same-file helper is followed to its body).
   * Default: names that start with the verb (`close`, `destroy`, `disconnect`, then nothing or a
   * capitalised word) or put `safe`, `safely`, `force`, `try`, `quiet`, `quietly` or `graceful(ly)`
   * before it. Checks and bookkeeping (`isClosed`, `recordClose`, `notifyClosed`) are not closers.
   */
  closerHelpers?: string[];
  /**
   * Teardown of the cache itself, never reported and never followed when called with no
   * arguments on `this` or as a plain function (`this.closeAll()`, `shutdown()`). Called with an
   * argument (`this.dispose(entry)`, `closeAll(stale)`) it closes what it is given. Default: `closeAll`, `shutdown`, `dispose`, `[Symbol.dispose]`,
   * `[Symbol.asyncDispose]`.
   */
  shutdownNames?: string[];
  /**
   * Names whose presence in a condition means "this client is in use" (ref counts, leases,
   * idle/busy/active/pending/running counts, `isIdle()`), matched case-insensitively against whole
   * identifiers, so `maxIdleMs` or `idleTimeout` (staleness thresholds) are not guards. A close
   * behind such a check is only reported when `reportGuarded` is on.
   */
  inUseGuards?: string[];
  /**
   * Report closes guarded by an in-use check too. An idle check cannot see holders that kept a
   * reference and will use the client later. Default: `false` (`true` in the `strict` config).
   */
  reportGuarded?: boolean;
  /** How many same-file calls deep to follow from an eviction path. Default: `4`. */
  maxDepth?: number;
}

export const defaultOptions = {
  evictionNames: [
    '^_?remove(?:Key|_key)$',
    '^_?evict(?![a-z])',
    '^_?(?:expire|prune|purge|reap)(?![a-z])(?!_?(?:[Aa]t|[Aa]fter|[Bb]efore|[Ii]n|[Oo]n|[Dd]ead|[Cc]losed|[Bb]roken|[Ff]ailed|[Dd]isconnected)(?![a-z]))',
  ],
  handlerNames: ['^onEvict', '^on(?:Expire|Remove|Delete)[ds]?(?:Entry|Entries|Key|Keys|Value|Values)?$'],
  closingMethods: [
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
  ],
  closerHelpers: [
    '^(?:close|destroy|disconnect)(?:[A-Z_]\\w*)?$',
    '^(?:safe|safely|force|try|quiet|quietly|graceful|gracefully)_?(?:[Cc]lose|[Dd]estroy|[Dd]isconnect)(?:[A-Z_]\\w*)?$',
  ],
  shutdownNames: ['closeAll', 'shutdown', 'dispose', '[Symbol.dispose]', '[Symbol.asyncDispose]'],
  inUseGuards: [
    '^(?:is_?|has_?|num_?|n_?)?(?:in_?use|idle|busy|active|running|pending|waiting|in_?flight)(?:_?(?:count|requests|connections|streams|calls|clients|users|holders|leases))?$',
    '^_?(?:ref_?count|refs|references|leases?|lease_?count|holders?|holder_?count|borrowers?)$',
  ],
  reportGuarded: false,
  maxDepth: 4,
} satisfies Required<NoCloseOnEvictOptions>;

/** Options compiled once per lint run. */
export interface Settings {
  evictionNames: RegExp[];
  handlerNames: RegExp[];
  closingMethods: ReadonlySet<string>;
  closerHelpers: RegExp[];
  shutdownNames: ReadonlySet<string>;
  inUseGuards: RegExp[];
  reportGuarded: boolean;
  maxDepth: number;
}

type PatternOption = 'closerHelpers' | 'evictionNames' | 'handlerNames' | 'inUseGuards';

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

// With no options, ESLint hands every file the same defaults object. With options it merges a new
// object per file, but the values in it (the user's arrays, the default arrays) stay the same, so
// settings are also found by comparing values.
const compiled = new WeakMap<NoCloseOnEvictOptions, Settings>();
const compiledByValues: { options: Required<NoCloseOnEvictOptions>; settings: Settings }[] = [];
const OPTION_KEYS = Object.keys(defaultOptions) as (keyof NoCloseOnEvictOptions)[];

function compile(merged: Required<NoCloseOnEvictOptions>): Settings {
  return {
    evictionNames: compilePatterns('evictionNames', merged.evictionNames),
    handlerNames: compilePatterns('handlerNames', merged.handlerNames),
    closingMethods: new Set(merged.closingMethods),
    closerHelpers: compilePatterns('closerHelpers', merged.closerHelpers),
    shutdownNames: new Set(merged.shutdownNames),
    inUseGuards: compilePatterns('inUseGuards', merged.inUseGuards, 'iu'),
    reportGuarded: merged.reportGuarded,
    maxDepth: merged.maxDepth,
  };
}

/**
 * Compiles options once per distinct set of values (the rule's `create` runs once per file).
 * ESLint has merged the defaults in already; any option still missing falls back to its default.
 */
export function compileSettings(options: NoCloseOnEvictOptions = defaultOptions): Settings {
  let settings = compiled.get(options);
  if (!settings) {
    const merged = { ...defaultOptions, ...options };
    settings = compiledByValues.find((entry) => OPTION_KEYS.every((key) => entry.options[key] === merged[key]))?.settings;
    if (!settings) {
      settings = compile(merged);
      // A handful of configs per run; the bound keeps a long-lived editor process from growing.
      if (compiledByValues.push({ options: merged, settings }) > 16) compiledByValues.shift();
    }
    compiled.set(options, settings);
  }
  return settings;
}

export function matchesAny(patterns: readonly RegExp[], name: string): boolean {
  // A loop rather than `some`, which would allocate a closure per call: this runs for every named function.
  for (const pattern of patterns) if (pattern.test(name)) return true;
  return false;
}
