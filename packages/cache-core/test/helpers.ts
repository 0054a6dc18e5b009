import { AsyncResource, createHook, executionAsyncId } from 'node:async_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import {
  ClientCache,
  InMemoryCache,
  type ClientCacheOptions,
  type EvictionReason,
  type InMemoryCacheOptions,
} from '../src/index.js';

/** A clock the test moves by hand. */
export class ManualClock {
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

/**
 * The same for ClientCache. It must call `super.onEvict`: a regression would go into
 * ClientCache's own hook, and a test subclass that replaced it would never run that code.
 */
export class RecordingClientCache<C extends object> extends ClientCache<C> {
  readonly evictions: Eviction<C>[] = [];
  protected override onEvict(key: string, value: C, reason: EvictionReason): void {
    this.evictions.push({ key, value, reason });
    super.onEvict(key, value, reason);
  }
}

export function recordingCache<V>(options: InMemoryCacheOptions = {}): { cache: RecordingCache<V>; clock: ManualClock } {
  const clock = new ManualClock();
  return { cache: new RecordingCache<V>({ clock: clock.read, ...options }), clock };
}

export function recordingClientCache<C extends object>(
  options: ClientCacheOptions<C> = {},
): { cache: RecordingClientCache<C>; clock: ManualClock } {
  const clock = new ManualClock();
  return { cache: new RecordingClientCache<C>({ clock: clock.read, ...options }), clock };
}

const CLOSE_METHODS = ['close', 'aclose', 'destroy', 'end', 'disconnect', Symbol.asyncDispose] as const;

/**
 * Tripwire: wraps each close-like method `client` has (own or inherited) so that every call is
 * recorded by name before it runs. Catches a close however it was reached, even one whose
 * effect (`closed`, `destroyed`) would only show later.
 */
export function watchCloses(client: object): string[] {
  const calls: string[] = [];
  const methods = client as Record<PropertyKey, unknown>;
  for (const name of CLOSE_METHODS) {
    const method = methods[name];
    if (typeof method !== 'function') continue;
    methods[name] = function (this: unknown, ...args: unknown[]): unknown {
      calls.push(String(name));
      return (method as (...rest: unknown[]) => unknown).apply(this, args);
    };
  }
  return calls;
}

/** A fake client with every close-like method; the tripwire records each call. */
export class CountingClient {
  readonly closes: string[];
  closed = false;
  constructor(readonly name = 'client') {
    this.closes = watchCloses(this);
  }
  get closeCalls(): number {
    return this.closes.length;
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
  aclose(): Promise<void> {
    return this.close();
  }
  destroy(): void {
    this.closed = true;
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * A fixed sleep, as LiteLLM's tests do after an eviction. Kept for the parity tests; it misses
 * anything deferred past `ms`, so proofs of "never closes" use {@link settleAfter}.
 */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `evict`, then waits until every task it scheduled has run: timers of any delay (unref'd
 * too), immediates, ticks, microtasks, and whatever those schedule in turn (followed through
 * async_hooks: a resource counts if it was created inside the eviction or by a task that did).
 * A close deferred in any of these ways has been called when this resolves. Rejects if work is
 * still pending after `capMs`, so a far-off close fails loudly instead of passing unseen.
 * Not followed: a timer armed before `evict` that later closes what eviction left behind.
 */
export async function settleAfter<T>(evict: () => T, capMs = 2_000): Promise<T> {
  const scope = new AsyncResource('cache-core-test-eviction');
  const descendants = new Set([scope.asyncId()]);
  // Promises only link the chain; the tasks to wait for are the ones that run a callback.
  const pending = new Map<number, string>();
  const done = (asyncId: number): void => void pending.delete(asyncId);
  const hook = createHook({
    init(asyncId, type, triggerAsyncId) {
      if (!descendants.has(triggerAsyncId) && !descendants.has(executionAsyncId())) return;
      descendants.add(asyncId);
      if (type !== 'PROMISE') pending.set(asyncId, type);
    },
    after: done, // ran once: enough for an interval, whose first tick would already close
    destroy: done, // ran or cancelled
  });
  hook.enable();
  try {
    const result = scope.runInAsyncScope(evict);
    const deadline = performance.now() + capMs;
    await nextTurn();
    while (pending.size > 0 && performance.now() < deadline) await sleep(1);
    if (pending.size > 0) {
      throw new Error(`eviction left work pending after ${capMs} ms: ${[...pending.values()].join(', ')}`);
    }
    return result;
  } finally {
    hook.disable();
    scope.emitDestroy();
  }
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
