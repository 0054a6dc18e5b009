import type { BackendOptions, ClientKind } from './kinds/client-kind.js';
import { startKind } from './kinds/running-kind.js';
import type { RunningKind } from './kinds/running-kind.js';

/** A kind a check uses: a built-in one is imported when its check starts. */
export interface KindSource {
  readonly name: string;
  load(): Promise<ClientKind>;
  /**
   * Begins a backend start that takes seconds (a built-in kind's) before any kind is imported;
   * returns its release, called when the session closes (the backend holds its own use by then).
   */
  warmUp?(): () => void;
}

/** Each kind's backend, started once per check and shared by every case of that check. */
export interface HarnessSession {
  /** The kind with its backend running; rejects with its start failure. */
  kind(name: string): Promise<RunningKind>;
  /** Resolves once every backend runs; rejects with every start failure. */
  started(): Promise<void>;
  /** Stops every backend that started (waiting for those still starting); throws what failed to stop. */
  close(): Promise<void>;
}

/** The one error, or an AggregateError holding them all. */
export function combinedError(errors: readonly unknown[]): unknown {
  return errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map(String).join('; '));
}

function throwAll(errors: readonly unknown[]): void {
  if (errors.length > 0) throw combinedError(errors);
}

const failures = (outcomes: readonly PromiseSettledResult<unknown>[]): unknown[] =>
  outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));

async function stopAll(starting: readonly Promise<RunningKind>[]): Promise<unknown[]> {
  const started = await Promise.allSettled(starting);
  const running = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  return failures(await Promise.allSettled(running.map((kind) => kind.stop())));
}

/**
 * Loads each kind and starts its backend as soon as it is loaded, so a slow start (PGlite's)
 * overlaps the next kinds' imports; resolves once every kind is loaded. Cases of a kind can run
 * as soon as its own backend runs (`kind(name)`), while slower ones still start.
 */
export async function openSession(sources: readonly KindSource[], options: BackendOptions): Promise<HarnessSession> {
  const warmUps = sources.flatMap((source) => source.warmUp?.() ?? []);
  const endWarmUps = () => warmUps.forEach((release) => release());
  const byName = new Map<string, Promise<RunningKind>>();
  for (const source of sources) {
    let kind: ClientKind;
    // One import at a time: Jest's ESM loader fails ("request for 'openai' is not in cache") when
    // two dynamic imports share a module still loading.
    try {
      kind = await source.load();
    } catch (error) {
      const stopFailures = await stopAll([...byName.values()]);
      endWarmUps();
      throw combinedError([error, ...stopFailures]);
    }
    const start = startKind(kind, options);
    start.catch(() => undefined); // reported by kind(), started() and close()
    byName.set(kind.name, start);
  }
  const starting = [...byName.values()];
  return {
    kind(name) {
      return byName.get(name) ?? Promise.reject(new Error(`no client kind '${name}' in this check`));
    },
    async started() {
      throwAll(failures(await Promise.allSettled(starting)));
    },
    async close() {
      const stopFailures = await stopAll(starting);
      endWarmUps();
      throwAll(stopFailures);
    },
  };
}
