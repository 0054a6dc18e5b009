import type { EvictionTools } from '../adapter.js';

// A bounded cache drops the key long before this; an unbounded one is reported by the harness.
const MAX_FILLERS = 10_000;

/** Adds spare clients under new keys until `stillCached()` turns false (the size path). */
export function fillUntilEvicted(
  stillCached: () => boolean,
  setFiller: (key: string, filler: ReturnType<EvictionTools['spareClient']>) => void,
  tools: EvictionTools,
): void {
  for (let index = 0; index < MAX_FILLERS && stillCached(); index++) {
    setFiller(`harness-filler-${index}`, tools.spareClient());
  }
}
