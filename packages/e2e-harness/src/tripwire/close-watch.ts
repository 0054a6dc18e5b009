import { sep } from 'node:path';
import { HARNESS_ROOTS } from '../util/harness-files.js';
import { currentScope } from '../settle/tracking-scope.js';
import type { EvictionPath } from '../eviction-paths.js';
import { verbName } from './closing-verbs.js';
import type { ClosingVerb } from './closing-verbs.js';

/** Why a recorded close does not fail its case. */
export type AllowedBy =
  /** Made at or after `holderGraceMs` after the eviction: the cache's declared contract with holders. */
  | 'holder-grace'
  /** Made after the holder released its lease (the adapter's `lease`). */
  | 'lease-released';

/** A closing method called on a client the harness still holds. */
export interface ObservedClose {
  /** Which held client: `held client` or `re-inserted client`. */
  client: string;
  /** The method called: `close`, `end`, … or `[Symbol.asyncDispose]`. */
  verb: string;
  /**
   * The eviction the call followed, `msAfter` it in the case's virtual time: the eviction whose
   * task made it (`via: 'eviction'`), or, for a call made by a timer the cache armed in `create`
   * or `set` (`via: 'cache-timer'`) or by another call into the cache (`via: 'cache-call'`, e.g.
   * a lease's release), the case's eviction.
   */
  eviction?: { path: EvictionPath; key: string; msAfter: number; via: 'eviction' | 'cache-timer' | 'cache-call' };
  /**
   * The cache timer whose run made the call, when one did: `msAfter` its due time after the
   * eviction (virtual time: it was brought forward), `armedMsAfter` when it was last armed
   * (whole ms, rounded down: negative when before the eviction), `armedAt` where it was armed.
   */
  timer?: { msAfter: number; delayMs: number; repeats: boolean; armedMsAfter: number; armedAt: string };
  /** Why the close does not fail the case; absent when it does. */
  allowedBy?: AllowedBy;
  /** The code that called it. */
  stack: string;
}

/**
 * Decides, when a close is recorded, whether the case's policy allows it. `msAfterEviction` is the
 * close's unrounded virtual time after the eviction (`close.eviction.msAfter` is rounded).
 */
export type CloseJudge = (close: ObservedClose, msAfterEviction: number | undefined) => AllowedBy | undefined;

const STACK_FRAMES = 16;
/** Libraries that call their own closing methods once closed: undici's close() ends with destroy(), a ws socket closes again when the peer's close frame comes. */
const SELF_CLOSING_SOURCES = ['undici', 'ws'].flatMap((library) => [`${sep}${library}${sep}lib${sep}`, `/${library}/lib/`]);

/** The frames above the harness's own (src/ or dist/), which say nothing about the cache. */
export function framesAboveHarness(frames: string[], roots: readonly string[] = HARNESS_ROOTS): string[] {
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
 * Wraps the closing methods of held clients so each call is recorded with its caller, the
 * eviction it followed and the case's verdict on it. Recording stops at `disarm()`, before the
 * cache's shutdown.
 */
export class CloseWatch {
  readonly closes: ObservedClose[] = [];
  readonly #judge: CloseJudge;
  #armed = true;
  #markFailed!: () => void;
  /** Resolves at the first close that fails the case: an eviction still awaiting that close need not be waited for. */
  readonly firstFailure = new Promise<void>((resolve) => (this.#markFailed = resolve));

  constructor(judge: CloseJudge = () => undefined) {
    this.#judge = judge;
  }

  /**
   * Instruments `verbs` on every object that can close one client (for an SDK handle, also its
   * dispatcher), where the object has them.
   */
  watch(label: string, closers: readonly object[], verbs: readonly ClosingVerb[]): void {
    instrument(closers, verbs, (verb, below) => this.#record(label, verbName(verb), below));
  }

  /** True once a close that fails the case was recorded. */
  get failed(): boolean {
    return this.closes.some((close) => close.allowedBy === undefined);
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
    const via = scope?.kind === 'eviction' ? 'eviction' : run ? 'cache-timer' : 'cache-call';
    const msAfterEviction = eviction && eviction.time.now() - eviction.startedAt;
    const close: ObservedClose = {
      client,
      verb,
      ...(eviction && {
        eviction: { path: eviction.path, key: eviction.key, msAfter: Math.round(msAfterEviction ?? 0), via },
      }),
      ...(eviction &&
        run && {
          timer: {
            msAfter: Math.round(run.dueAt - eviction.startedAt),
            delayMs: run.delayMs,
            repeats: run.repeats,
            // Rounded down: negative exactly when it was armed before the eviction.
            armedMsAfter: Math.floor(run.armedAt - eviction.startedAt),
            armedAt: run.site,
          },
        }),
      stack,
    };
    const allowedBy = this.#judge(close, msAfterEviction);
    this.closes.push(allowedBy === undefined ? close : { ...close, allowedBy });
    if (allowedBy === undefined) this.#markFailed();
  }
}

/**
 * Instruments a client the harness does not watch (a spare client the cache got as a filler or
 * an overwriting value) without recording anything: its close promises are marked handled, so a
 * close the cache makes after the case destroyed the client cannot fail the user's run.
 */
export function markClosesHandled(closers: readonly object[], verbs: readonly ClosingVerb[]): void {
  instrument(closers, verbs, () => undefined);
}

/**
 * Replaces each of `verbs` that the closers have with a wrapper that calls `onCall` once per
 * outer call (a handle closing its own dispatcher is one close, not two) and returns the
 * original's result with any promise marked handled.
 */
function instrument(
  closers: readonly object[],
  verbs: readonly ClosingVerb[],
  onCall: (verb: ClosingVerb, below: (...args: never[]) => unknown) => void,
): void {
  let depth = 0;
  for (const target of closers) {
    for (const verb of verbs) {
      const original: unknown = Reflect.get(target, verb);
      if (typeof original !== 'function') continue;
      const instrumented = function (this: unknown, ...args: unknown[]): unknown {
        if (depth === 0) onCall(verb, instrumented);
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
