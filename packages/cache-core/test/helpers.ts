import { ClientCache, InMemoryCache, type ClientCacheOptions, type EvictionReason, type InMemoryCacheOptions } from '../src/index.js';

/** Time for the caches under test, moved by hand: `clock: clock.read`. */
export class TestClock {
  now = 0;
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

export interface Eviction<V> {
  key: string;
  value: V;
  reason: EvictionReason;
}

/** Records every call of the eviction hook, in order, then runs the inherited hook. */
export class RecordingCache<V> extends InMemoryCache<V> {
  readonly evictions: Eviction<V>[] = [];
  protected override onEvict(key: string, value: V, reason: EvictionReason): void {
    this.evictions.push({ key, value, reason });
    super.onEvict(key, value, reason);
  }
}

/** The same for ClientCache, calling `super.onEvict` so ClientCache's own hook code runs too. */
export class RecordingClientCache<C extends object> extends ClientCache<C> {
  readonly evictions: Eviction<C>[] = [];
  protected override onEvict(key: string, value: C, reason: EvictionReason): void {
    this.evictions.push({ key, value, reason });
    super.onEvict(key, value, reason);
  }
}

export function recordingCache<V>(options: InMemoryCacheOptions = {}): { cache: RecordingCache<V>; clock: TestClock } {
  const clock = new TestClock();
  return { cache: new RecordingCache<V>({ clock: clock.read, ...options }), clock };
}

export function recordingClientCache<C extends object>(
  options: ClientCacheOptions<C> = {},
): { cache: RecordingClientCache<C>; clock: TestClock } {
  const clock = new TestClock();
  return { cache: new RecordingClientCache<C>({ clock: clock.read, ...options }), clock };
}

/**
 * A fake client with every close-like method; each call is recorded by name. `close()` settles
 * as the test says: at once, with a failure, or never (until `finishClose`).
 */
export class FakeClient {
  readonly closes: string[] = [];
  closed = false;
  /** How the next `close()` behaves. */
  closeBehaviour: 'ok' | 'fail' | 'hang' = 'ok';
  /** The last `close()` settled (fulfilled or rejected). */
  closeSettled = false;
  #finish: (() => void) | undefined;

  constructor(readonly name = 'client') {}

  get closeCalls(): number {
    return this.closes.length;
  }

  close(): Promise<void> {
    this.closes.push('close');
    if (this.closeBehaviour === 'hang') {
      return new Promise((resolve) => {
        this.#finish = () => {
          this.closed = true;
          this.closeSettled = true;
          resolve();
        };
      });
    }
    this.closeSettled = true;
    if (this.closeBehaviour === 'fail') return Promise.reject(new Error(`cannot close ${this.name}`));
    this.closed = true;
    return Promise.resolve();
  }

  /** Lets a hanging close settle. */
  finishClose(): void {
    this.#finish?.();
  }

  aclose(): Promise<void> {
    this.closes.push('aclose');
    this.closed = true;
    return Promise.resolve();
  }

  destroy(): void {
    this.closes.push('destroy');
    this.closed = true;
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.closes.push('asyncDispose');
    this.closed = true;
    return Promise.resolve();
  }
}

type EvictPath = (cache: ClientCache<FakeClient>, clock: TestClock) => unknown;

/**
 * Every way the entry under 'victim' leaves a cache of `maxSize: 1` and `defaultTtlMs: 1000`,
 * each with the reason its hook gets.
 */
export const EVICTION_PATHS: [string, EvictPath, EvictionReason][] = [
  ['size', (cache) => cache.getOrCreate('filler', (key) => new FakeClient(key)), 'size'],
  ['ttl through get', (cache, clock) => (clock.advance(1000), cache.get('victim')), 'ttl'],
  ['ttl through evictExpired', (cache, clock) => (clock.advance(1000), cache.evictExpired()), 'ttl'],
  ['delete', (cache) => cache.delete('victim'), 'delete'],
  ['overwrite', (cache) => cache.set('victim', new FakeClient()), 'overwrite'],
  ['clear', (cache) => cache.clear(), 'clear'],
];

/** Every task queued so far (microtasks, ticks, immediates, due 0 ms timers) has run. */
export async function nextTurn(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `body` while collecting process warnings and unhandled rejections: LiteLLM's "coroutine
 * was never awaited" check, in Node terms. Returns what was collected.
 */
export async function processProblemsDuring(body: () => Promise<void>): Promise<unknown[]> {
  const problems: unknown[] = [];
  const onProblem = (problem: unknown) => problems.push(problem);
  process.on('warning', onProblem);
  process.on('unhandledRejection', onProblem);
  try {
    await body();
  } finally {
    process.off('warning', onProblem);
    process.off('unhandledRejection', onProblem);
  }
  return problems;
}
