import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentScope } from '../settle/tracking-scope.js';
import type { EvictionPath } from '../adapter.js';
import { verbName } from './closing-verbs.js';
import type { ClosingVerb } from './closing-verbs.js';

/** A closing method called on a client the harness still holds. */
export interface ObservedClose {
  /** Which held client: `held client` or `re-inserted client`. */
  client: string;
  /** The method called: `close`, `end`, … or `[Symbol.asyncDispose]`. */
  verb: string;
  /**
   * The eviction the call followed: the one whose task made it (`via: 'eviction'`), or the latest
   * one when a task the cache scheduled at create or set made it (`via: 'cache-timer'`).
   */
  eviction?: { path: EvictionPath; key: string; msAfter: number; via: 'eviction' | 'cache-timer' };
  /**
   * The cache timer whose run made the call, when one did: `msAfter` its due time after the
   * eviction (virtual time: it may have been brought forward), `armedAt` where it was armed.
   */
  timer?: { msAfter: number; delayMs: number; repeats: boolean; armedAt: string };
  /** The code that called it. */
  stack: string;
}

const STACK_FRAMES = 16;
// A frame names its file by path (CommonJS) or by file:// URL (ESM, %-encoded): match either.
export const harnessRoots = (root: URL): string[] => [fileURLToPath(root), root.href];
const HARNESS_ROOTS = harnessRoots(new URL('..', import.meta.url));
/** Libraries that call their own closing methods once closed: undici's close() ends with destroy(), a ws socket closes again when the peer's close frame comes. */
const SELF_CLOSING_SOURCES = ['undici', 'ws'].flatMap((library) => [`${sep}${library}${sep}lib${sep}`, `/${library}/lib/`]);

/** The frames above the harness's own (src/ or dist/), which say nothing about the cache. */
export function framesAboveHarness(frames: string[], roots = HARNESS_ROOTS): string[] {
  const firstHarnessFrame = frames.findIndex((frame) => roots.some((root) => frame.includes(root)));
  return firstHarnessFrame === -1 ? frames : frames.slice(0, firstHarnessFrame);
}

function callerStack(below: (...args: never[]) => unknown): string {
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_FRAMES;
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, below);
  Error.stackTraceLimit = previousLimit;
  return framesAboveHarness((holder.stack ?? '').split('\n').slice(1)).join('\n');
}

/**
 * Marks a returned promise as handled and returns that same promise: a caller that awaits it
 * still sees its rejection, but a cache's fire-and-forget `void client.close()` on a client the
 * harness already destroyed at the end of a case cannot end the user's test run with an
 * unhandled rejection. The close itself is what the case reports.
 */
function handled(result: unknown): unknown {
  if (result instanceof Promise) result.catch(() => undefined);
  return result;
}

/**
 * Wraps `close`/`destroy` of held clients so each call is recorded with its caller and the
 * eviction it followed. Recording stops at `disarm()`, before the cache's shutdown.
 */
export class CloseWatch {
  readonly closes: ObservedClose[] = [];
  #armed = true;
  #markTripped!: () => void;
  /** Resolves at the first recorded close: an eviction still awaiting that close need not be waited for. */
  readonly firstClose = new Promise<void>((resolve) => (this.#markTripped = resolve));

  /**
   * Instruments `verbs` on every object that can close one client (for an SDK handle, also its
   * dispatcher), where the object has them.
   */
  watch(label: string, closers: readonly object[], verbs: readonly ClosingVerb[]): void {
    let depth = 0;
    const record = (verb: ClosingVerb, below: (...args: never[]) => unknown) => this.#record(label, verbName(verb), below);
    for (const target of closers) {
      for (const verb of verbs) {
        const original: unknown = Reflect.get(target, verb);
        if (typeof original !== 'function') continue;
        const instrumented = function (this: unknown, ...args: unknown[]): unknown {
          // A handle closing its own dispatcher is one close, not two.
          if (depth === 0) record(verb, instrumented);
          depth++;
          try {
            return handled(Reflect.apply(original, this, args));
          } finally {
            depth--;
          }
        };
        Object.defineProperty(target, verb, { value: instrumented, configurable: true, writable: true });
      }
    }
  }

  get tripped(): boolean {
    return this.closes.length > 0;
  }

  disarm(): void {
    this.#armed = false;
  }

  #record(client: string, verb: string, below: (...args: never[]) => unknown): void {
    if (!this.#armed) return;
    const stack = callerStack(below);
    // A library's call on itself, after the cache's close: not the cache's.
    const caller = stack.split('\n', 1)[0] ?? '';
    if (SELF_CLOSING_SOURCES.some((source) => caller.includes(source))) return;
    const scope = currentScope();
    const eviction = scope?.kind === 'cache' ? scope.lastEviction : scope;
    const run = scope?.time.currentRun();
    this.closes.push({
      client,
      verb,
      ...(eviction && {
        eviction: {
          path: eviction.path,
          key: eviction.key,
          msAfter: Math.round(eviction.time.now() - eviction.startedAt),
          via: scope?.kind === 'cache' ? 'cache-timer' : 'eviction',
        },
      }),
      ...(eviction &&
        run && {
          timer: {
            msAfter: Math.round(run.dueAt - eviction.startedAt),
            delayMs: run.delayMs,
            repeats: run.repeats,
            armedAt: run.site,
          },
        }),
      stack,
    });
    this.#markTripped();
  }
}
