import type { BackendOptions, ClientKind } from './kinds/client-kind.js';
import { startKind } from './kinds/running-kind.js';
import type { RunningKind } from './kinds/running-kind.js';

/** A kind a check uses: a built-in one is imported when its check starts. */
export interface KindSource {
  readonly name: string;
  load(): Promise<ClientKind>;
}

/** Each kind's backend, started once per check and shared by every case of that check. */
export interface HarnessSession {
  kind(name: string): RunningKind;
  /** Stops every backend; throws what failed to stop. */
  close(): Promise<void>;
}

function throwAll(errors: unknown[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, errors.map(String).join('; '));
}

async function stopAll(kinds: RunningKind[]): Promise<unknown[]> {
  const stopped = await Promise.allSettled(kinds.map((kind) => kind.stop()));
  return stopped.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
}

export async function openSession(sources: readonly KindSource[], options: BackendOptions): Promise<HarnessSession> {
  // One import at a time: Jest's ESM loader fails ("request for 'openai' is not in cache") when two
  // dynamic imports share a module still loading. Each backend starts as soon as its kind is
  // loaded, so its start (PGlite's takes seconds) overlaps the next kinds' imports.
  const starting: Promise<RunningKind>[] = [];
  let loadFailure: unknown[] = [];
  for (const source of sources) {
    let kind: ClientKind;
    try {
      kind = await source.load();
    } catch (error) {
      loadFailure = [error];
      break;
    }
    const start = startKind(kind, options);
    start.catch(() => undefined); // awaited below, with the others
    starting.push(start);
  }
  const started = await Promise.allSettled(starting);
  const running = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failures = [...loadFailure, ...started.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []))];
  if (failures.length > 0) {
    throwAll([...failures, ...(await stopAll(running))]);
  }
  const byName = new Map(running.map((kind) => [kind.name, kind]));
  return {
    kind(name) {
      const kind = byName.get(name);
      if (!kind) throw new Error(`no client kind '${name}' in this check`);
      return kind;
    },
    async close() {
      throwAll(await stopAll(running));
    },
  };
}
