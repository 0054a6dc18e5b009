import type { BackendOptions } from './client-kind.js';

/** Header naming the hold a long HTTP request waits on after its first part. */
export const HOLD_HEADER = 'x-eviction-harness-hold';

/**
 * A backend's held operations: each waits under its hold id until the harness releases it. A
 * release may come first (the operation was slow to arrive), or for an id that never arrives.
 */
export interface Holds {
  /** Resolves when `holdId` is released (at once if it already was). */
  wait(holdId: string): Promise<void>;
  release(holdId: string): void;
  /** Releases every waiting operation, so none stays parked when the server stops. */
  releaseAll(): void;
}

export function createHolds(): Holds {
  const waiting = new Map<string, () => void>();
  const released = new Set<string>();
  return {
    wait: (holdId) =>
      released.delete(holdId) ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(holdId, resolve)),
    release(holdId) {
      const resume = waiting.get(holdId);
      if (resume) {
        waiting.delete(holdId);
        resume();
      } else {
        released.add(holdId);
      }
    },
    releaseAll() {
      for (const resume of waiting.values()) resume();
      waiting.clear();
      released.clear();
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Plays one held operation: part 0 at once, then (after `holdId` is released; `null`: not held) the other parts,
 * `chunkIntervalMs` apart, each sent (and awaited, when `send` returns a promise) in order.
 * Stops early once `gone()` says the client went away.
 */
export async function playHeld(
  holds: Holds,
  holdId: string | null,
  { chunks, chunkIntervalMs }: BackendOptions,
  send: (index: number) => unknown,
  gone: () => boolean = () => false,
): Promise<void> {
  await send(0);
  if (holdId !== null) await holds.wait(holdId);
  for (let index = 1; index < chunks; index++) {
    await sleep(chunkIntervalMs);
    if (gone()) return;
    await send(index);
  }
}
