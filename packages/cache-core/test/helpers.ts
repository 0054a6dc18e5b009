import { InMemoryCache, type EvictionReason, type InMemoryCacheOptions } from '../src/index.js';

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

/** Records every call of the eviction hook, in order. */
export class RecordingCache<V> extends InMemoryCache<V> {
  readonly evictions: Eviction<V>[] = [];
  protected override onEvict(key: string, value: V, reason: EvictionReason): void {
    this.evictions.push({ key, value, reason });
  }
}

export function recordingCache<V>(options: InMemoryCacheOptions = {}): { cache: RecordingCache<V>; clock: ManualClock } {
  const clock = new ManualClock();
  return { cache: new RecordingCache<V>({ clock: clock.read, ...options }), clock };
}

/** A fake client that counts every way of closing it. */
export class CountingClient {
  closeCalls = 0;
  closed = false;
  constructor(readonly name = 'client') {}
  close(): Promise<void> {
    this.closeCalls += 1;
    this.closed = true;
    return Promise.resolve();
  }
}

/** Lets deferred work (microtasks, timers, immediates) run before asserting. */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
