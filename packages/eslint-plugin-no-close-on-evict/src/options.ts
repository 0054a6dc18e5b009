/**
 * Options of `no-close-on-evict/no-close-on-evict`. Every list replaces its default when given.
 * Patterns are JavaScript regular expression sources, matched against a bare name
 * (`evictOldest`, not `this.evictOldest`).
 */
export interface NoCloseOnEvictOptions {
  /**
   * Names of functions and methods that evict cache entries.
   * Default: `removeKey` / `_removeKey` / `remove_key`, and names starting with `evict`,
   * `expire`, `prune`, `purge` or `reap` followed by a word boundary (`evictOldest`, `prune_stale`).
   */
  evictionNames?: string[];
  /**
   * Names of eviction handlers (callbacks a cache runs for an entry it drops).
   * Default: `onEvict*`, `onEviction`, `onExpire*`, `onExpired`, `onRemove*`, `onDelete*`.
   */
  handlerNames?: string[];
  /**
   * Methods that close the value they are called on, matched exactly.
   * Default: `close`, `aclose`, `destroy`, `end`, `disconnect`, `$disconnect`, `quit`,
   * `terminate`, `logout`, `dispose`, `[Symbol.dispose]`, `[Symbol.asyncDispose]`.
   */
  closingMethods?: string[];
  /**
   * Helpers that close their first argument (`closeQuietly(client)`, `safeClose(client)`).
   * Default: any name containing `close`, `destroy` or `disconnect`.
   */
  closerHelpers?: string[];
  /**
   * Teardown of the cache itself, never reported and never followed when called on `this` or
   * as a plain function. Default: `closeAll`, `shutdown`, `dispose`, `[Symbol.dispose]`,
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
  evictionNames: ['^_?remove(?:Key|_key)$', '^_?(?:evict|expire|prune|purge|reap)(?![a-z])'],
  handlerNames: ['^on(?:Evict|Expire|Remove|Delete)'],
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
    'dispose',
    '[Symbol.dispose]',
    '[Symbol.asyncDispose]',
  ],
  closerHelpers: ['[Cc]lose', '[Dd]estroy', '[Dd]isconnect'],
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

// ESLint hands every file of a config the same options object, so settings compile once per config.
const compiled = new WeakMap<NoCloseOnEvictOptions, Settings>();

/**
 * Compiles options once per options object (the rule's `create` runs once per file). ESLint has
 * merged the defaults in already; any option still missing falls back to its default.
 */
export function compileSettings(options: NoCloseOnEvictOptions = defaultOptions): Settings {
  let settings = compiled.get(options);
  if (!settings) {
    const merged = { ...defaultOptions, ...options };
    settings = {
      evictionNames: compilePatterns('evictionNames', merged.evictionNames),
      handlerNames: compilePatterns('handlerNames', merged.handlerNames),
      closingMethods: new Set(merged.closingMethods),
      closerHelpers: compilePatterns('closerHelpers', merged.closerHelpers),
      shutdownNames: new Set(merged.shutdownNames),
      inUseGuards: compilePatterns('inUseGuards', merged.inUseGuards, 'iu'),
      reportGuarded: merged.reportGuarded,
      maxDepth: merged.maxDepth,
    };
    compiled.set(options, settings);
  }
  return settings;
}

export function matchesAny(patterns: readonly RegExp[], name: string): boolean {
  return patterns.some((pattern) => pattern.test(name));
}
