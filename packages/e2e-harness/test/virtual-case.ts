import { afterEach } from 'vitest';
import { trackResources } from '../src/settle/resource-tracker.js';
import { beginEviction, openCacheScope, runInScope } from '../src/settle/tracking-scope.js';
import type { CacheScope, Eviction } from '../src/settle/tracking-scope.js';
import { VirtualTime } from '../src/settle/virtual-time.js';
import type { VirtualTimeOptions } from '../src/settle/virtual-time.js';

/** What a test cache did, at which virtual time after the eviction. */
export interface Happening {
  what: string;
  /** Virtual ms after the eviction began, rounded. */
  at: number;
}

/**
 * One case as the harness runs it, without clients: a cache scope, evictions, virtual time, and a
 * log of what the cache's callbacks did and when (virtual time after the eviction).
 */
export class VirtualCase {
  readonly time: VirtualTime;
  readonly cache: CacheScope;
  readonly log: Happening[] = [];
  eviction: Eviction | undefined;
  readonly #stop: () => void;

  constructor(options?: VirtualTimeOptions) {
    this.time = new VirtualTime(options);
    this.cache = openCacheScope(this.time);
    this.#stop = trackResources(this.cache);
  }

  /** Runs `call` as a cache call (create, set, get). */
  inCache<T>(call: () => T): T {
    return runInScope(this.cache, call);
  }

  /** Runs `call` as the eviction of `key`, one instant of virtual time. */
  evict<T>(call: () => T): T {
    const release = this.time.hold();
    const eviction = beginEviction('delete', 'key', this.cache);
    this.eviction = eviction;
    const stop = trackResources(eviction);
    try {
      return runInScope(eviction, call);
    } finally {
      stop();
      release();
    }
  }

  /** Virtual ms since the eviction began. */
  sinceEviction(): number {
    return Math.round(this.time.now() - (this.eviction?.startedAt ?? Number.NaN));
  }

  /** Records `what` at the current virtual time. */
  note(what: string): void {
    this.log.push({ what, at: this.sinceEviction() });
  }

  /** Ends the case: leftovers are cleared. */
  end(): void {
    this.#stop();
  }
}

/** `openCase(options)` for a test file: each case it opens is ended after each test. */
export function virtualCasesEndedAfterEach(): (options?: VirtualTimeOptions) => VirtualCase {
  const open: VirtualCase[] = [];
  afterEach(() => {
    for (const virtualCase of open.splice(0)) virtualCase.end();
  });
  return (options) => {
    const virtualCase = new VirtualCase(options);
    open.push(virtualCase);
    return virtualCase;
  };
}
