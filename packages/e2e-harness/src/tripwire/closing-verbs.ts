/**
 * The harness's one list of closing methods. The tripwire watches each of them that a kind's
 * closers have; a kind adds its own (`closingVerbs`, e.g. MCP's `terminateSession`).
 */
export const CLOSING_VERBS = [
  'close',
  'aclose',
  'end',
  'destroy',
  'terminate',
  'disconnect',
  'quit',
  'shutdown',
  'dispose',
  Symbol.dispose,
  Symbol.asyncDispose,
] as const;

/** A closing method's key: a name, or a symbol such as `Symbol.asyncDispose`. */
export type ClosingVerb = string | symbol;

/** How a verb reads in a report: `close`, or `[Symbol.asyncDispose]` for a symbol. */
export function verbName(verb: ClosingVerb): string {
  return typeof verb === 'symbol' ? `[${verb.description ?? 'symbol'}]` : verb;
}

/** The harness's verbs, then the kind's own, without repeats. */
export function watchedVerbs(extra: readonly ClosingVerb[] = []): ClosingVerb[] {
  return [...new Set<ClosingVerb>([...CLOSING_VERBS, ...extra])];
}
