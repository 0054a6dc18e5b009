import type { OperationInFlight } from './client-kind.js';

/** Counts the parts of a long operation: `started` at the first, `end()` checks they all came. */
export interface PartCounter {
  readonly started: Promise<void>;
  part(): void;
  /** Throws `<what> ended after 1 of 4 <unit>` when parts are missing. */
  end(): void;
}

export function countParts(expected: number, what = 'the stream', unit = 'chunks'): PartCounter {
  let count = 0;
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  return {
    started,
    part() {
      if (++count === 1) markStarted();
    },
    end() {
      if (count !== expected) throw new Error(`${what} ended after ${count} of ${expected} ${unit}`);
    },
  };
}

/** Follows a long operation whose parts arrive as an async iterable. */
export function followParts(parts: () => AsyncIterable<unknown>, expected: number, what?: string, unit?: string): OperationInFlight {
  const counter = countParts(expected, what, unit);
  const finished = (async () => {
    for await (const _part of parts()) counter.part();
    counter.end();
  })();
  return { started: counter.started, finished };
}
