/**
 * The cache libraries whose eviction hooks the rule follows. Import detection, hook detection and
 * the selectors that pick the files to analyse all derive from this table: adding a library is
 * adding an entry.
 */
export interface CacheLibrary {
  /** The module name as imported or required. */
  module: string;
  /** Exports that are the cache class, constructed or extended (`default` for a default export). */
  classes: readonly string[];
  /** Exported factory functions that make a cache from options (`createLRU(options)`). */
  factories: readonly string[];
  /** The CommonJS module itself is the class: `new (require('lru-cache'))(options)`. */
  moduleIsClass: boolean;
  /** The class may be called without `new` (`LRU(options)`) or from an old-style subclass (`LRU.call(this, options)`). */
  callable: boolean;
  /** Option keys whose function the cache calls for each entry it drops. */
  hooks: readonly string[];
  /** Events the cache emits for each entry it drops (it is an EventEmitter). */
  events: readonly string[];
  /**
   * Options only this kind of cache takes beside a hook (`max`, `ttl`): an object with a hook and
   * one of these is that cache's options even where the file never imports the library (shared
   * option objects in a constants module).
   */
  optionKeys: readonly string[];
}

const library = (entry: Pick<CacheLibrary, 'module'> & Partial<CacheLibrary>): CacheLibrary => ({
  classes: [],
  factories: [],
  moduleIsClass: false,
  callable: false,
  hooks: [],
  events: [],
  optionKeys: [],
  ...entry,
});

export const CACHE_LIBRARIES: readonly CacheLibrary[] = [
  // lru-cache before v7 exported the class as the module, callable without `new`, and called
  // `dispose(key, value)`; v7 and later `dispose(value, key, reason)` and `disposeAfter`.
  library({
    module: 'lru-cache',
    classes: ['LRUCache', 'default'],
    moduleIsClass: true,
    callable: true,
    hooks: ['dispose', 'disposeAfter'],
    optionKeys: ['max', 'maxSize', 'maxAge', 'ttl', 'ttlAutopurge', 'updateAgeOnGet', 'updateAgeOnHas', 'allowStale', 'noDisposeOnSet', 'sizeCalculation', 'length', 'stale'],
  }),
  library({ module: '@isaacs/ttlcache', classes: ['TTLCache', 'default'], moduleIsClass: true, hooks: ['dispose'], optionKeys: ['ttl', 'max', 'noUpdateTTL', 'checkAgeOnGet'] }),
  library({ module: 'quick-lru', classes: ['default'], moduleIsClass: true, hooks: ['onEviction'], optionKeys: ['maxSize', 'maxAge'] }),
  library({ module: 'lru.min', factories: ['createLRU'], hooks: ['onEviction'], optionKeys: ['max'] }),
  library({ module: 'node-cache', classes: ['default'], moduleIsClass: true, events: ['expired', 'del'] }),
  // chriso's `lru`: `new LRU(max)`, an EventEmitter that emits `evict` with `{ key, value }`.
  library({ module: 'lru', classes: ['default'], moduleIsClass: true, events: ['evict'] }),
];

/** Every hook key of the table: the keys that may make an object a cache's options. */
export const HOOK_KEYS: ReadonlySet<string> = new Set(CACHE_LIBRARIES.flatMap(({ hooks }) => hooks));

const BY_MODULE = new Map<unknown, CacheLibrary>(CACHE_LIBRARIES.map((entry) => [entry.module, entry]));

/** The library a module name (an import source, a `require` argument) loads, if it is one of ours. */
export function cacheLibrary(module: unknown): CacheLibrary | undefined {
  return BY_MODULE.get(module);
}
