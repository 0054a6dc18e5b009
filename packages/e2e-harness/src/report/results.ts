import type { EvictionPath } from '../eviction-paths.js';
import type { SettleOutcome } from '../settle/settle.js';
import type { ObservedClose } from '../tripwire/close-watch.js';
import type { ObservedError } from './error-kind.js';

export type { PendingTimer, SettleEnd, SettleMode, SettleOutcome } from '../settle/settle.js';
export type { AllowedBy, ObservedClose } from '../tripwire/close-watch.js';
export type { ErrorKind, ObservedError } from './error-kind.js';

/** What happens to the client under test around its eviction. */
export type ScenarioName =
  /** The kind's long operation (a stream, a held tool call, a held query) is in flight when the entry is evicted: it must complete in full. */
  | 'stream-in-flight'
  /** The holder that kept the client runs the kind's follow-up operation after eviction and settle. */
  | 'holder-request-after-eviction'
  /** A new client is set under the same key right after eviction; it must work after settle. */
  | 'reinsert-after-eviction';

export const SCENARIOS: readonly ScenarioName[] = [
  'stream-in-flight',
  'holder-request-after-eviction',
  'reinsert-after-eviction',
];

/** One path × client × scenario. */
export interface CaseResult {
  path: EvictionPath;
  client: string;
  scenario: ScenarioName;
  /**
   * No error, no close of a held client before shutdown that the policy does not allow (before
   * `holderGraceMs`, or while its lease was held), and a shutdown that returned.
   */
  ok: boolean;
  /** What the held client's work, or a call into the cache, failed with. */
  error?: ObservedError;
  /** The adapter's shutdown threw, or did not return within `callTimeoutMs`. */
  shutdownError?: ObservedError;
  /** Closing calls on held clients before shutdown, with their callers, evictions and verdicts (`allowedBy`). */
  closes: ObservedClose[];
  settle: SettleOutcome;
  durationMs: number;
}

/** Connections left open by evicted clients once their keep-alive (idle timeout) elapsed. */
export interface LeakProbeResult {
  ok: boolean;
  client: string;
  path: EvictionPath;
  evictions: number;
  keepAliveTimeoutMs: number;
  /** Connections still open on the kind's backend that the probe's clients had opened. */
  openConnections: number;
  /** The probe's own use of the cache or of the clients failed (or did not return). */
  error?: ObservedError;
}

export interface Report {
  adapter: string;
  /** Every case passed and no leak was found. */
  ok: boolean;
  results: CaseResult[];
  leakProbe?: LeakProbeResult[];
  durationMs: number;
}
