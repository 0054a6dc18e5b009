import { describeValue } from './option-checks.js';
import type { OwnedClient } from './owned-client.js';

/** Problems spelled out in the `AggregateError` message; the rest are counted. */
const LISTED_PROBLEMS = 5;

function messageOf(problem: unknown): string {
  return problem instanceof Error ? problem.message : describeValue(problem);
}

function clientNamed(key: string): string {
  return `the client created for ${JSON.stringify(key)}`;
}

/** A failed close, naming the client by the key it was created for; the failure is the `cause`. */
export function failedClose(key: string, error: unknown): Error {
  return new Error(`closing ${clientNamed(key)} failed: ${messageOf(error)}`, { cause: error });
}

/** Why an owned client is still open when `closeAll` stops waiting. */
export function stillOpen(owned: OwnedClient<object>, timeoutMs: number): Error {
  const client = clientNamed(owned.key);
  if (owned.closing) return new Error(`closing ${client} did not settle within ${timeoutMs} ms`);
  if (owned.leases > 0) {
    return new Error(
      `${client} is still leased (${owned.leases} lease(s) not released after ${timeoutMs} ms); it is closed when its last lease is released`,
    );
  }
  return new Error(`${client} was cached again while closeAll ran; it is closed once it leaves the cache`);
}

/** Every problem of one `closeAll` call, in one error. */
export function shutdownError(problems: readonly unknown[]): AggregateError {
  const listed = problems.slice(0, LISTED_PROBLEMS).map(messageOf);
  if (problems.length > LISTED_PROBLEMS) listed.push(`and ${problems.length - LISTED_PROBLEMS} more`);
  return new AggregateError(problems, `closeAll: ${problems.length} problem(s): ${listed.join('; ')}`);
}

/** Resolves when every promise has settled, or after `timeoutMs`, whichever comes first. */
export function settledWithin(promises: readonly Promise<unknown>[], timeoutMs: number): Promise<void> {
  if (promises.length === 0) return Promise.resolve();
  const all = Promise.allSettled(promises).then(() => undefined);
  if (timeoutMs === Infinity) return all;
  return new Promise((resolve) => {
    // Ref'd on purpose: a shutdown script awaiting closeAll gets its answer before the process exits.
    const timer = setTimeout(resolve, timeoutMs);
    void all.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
