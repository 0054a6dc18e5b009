/**
 * What the analysis asks of the rule's options, compiled once per set of options (`options.ts`
 * builds it). Every name test is a predicate on a bare name (`evictOldest`, not `this.evictOldest`).
 */
export interface Settings {
  /** Functions and methods that evict cache entries (`evictOldest`, `removeKey`, `sweepExpired`). */
  isEvictionName: (name: string) => boolean;
  /** Callbacks a cache runs for an entry it drops (`onEviction`, `onDeleteValue`). */
  isHandlerName: (name: string) => boolean;
  /** Classes and factories from elsewhere that make a cache (`ClientCache`, `createClientCache`). */
  isCacheName: (name: string) => boolean;
  /** Methods that close the value they are called on, whatever that value is (`close`, `destroy`). */
  isClosingMethod: (name: string) => boolean;
  /** Methods that close the value only when it is the evicted value itself (`stop`, `kill`). */
  isValueClosingMethod: (name: string) => boolean;
  /** Helpers from elsewhere that close their first argument (`closeQuietly`, `safeDestroy`). */
  isCloserHelper: (name: string) => boolean;
  /**
   * Whether a file's text may name a close in a form the analysis recognises (a closing or
   * value-closing method, a closer helper). True of the text of every file that names one, so a
   * file it is false of holds no close; it may be true of others.
   */
  textMayNameClose: (text: string) => boolean;
  /** The cache's own teardown when called with no argument on `this` or as a function (`this.closeAll()`). */
  isShutdownName: (name: string) => boolean;
  /** Identifiers that make a condition an in-use check (`refCount`, `liveStreams`, `isIdle`). */
  isInUseGuard: (name: string) => boolean;
  /** The name patterns, for the selectors that pick the files to analyse. */
  namePatterns: { eviction: readonly RegExp[]; handler: readonly RegExp[]; cache: readonly RegExp[] };
  reportGuarded: boolean;
  maxDepth: number;
  /** Follow calls, callbacks and listeners into other files of the TypeScript program, when there is one. */
  typeChecked: boolean;
}

/**
 * One source that matches where any of `sources` would (each with `flags`), or undefined when
 * joining them could change what one matches: numbered backreferences would shift.
 */
export function joinedSource(sources: readonly string[], flags: string): string | undefined {
  if (sources.length === 0 || sources.some((source) => /\\[1-9]/u.test(source))) return undefined;
  const joined = sources.map((source) => `(?:${source})`).join('|');
  try {
    new RegExp(joined, flags);
  } catch {
    // Before V8 12.5, two patterns naming the same group cannot share one expression.
    return undefined;
  }
  return joined;
}
