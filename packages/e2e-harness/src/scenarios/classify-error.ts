/** What a client's failure says about its dispatcher. */
export type ErrorKind =
  /** undici UND_ERR_CLOSED: a request sent while close() was pending. */
  | 'client-closed'
  /** undici UND_ERR_DESTROYED: a request sent after close() resolved or after destroy(). */
  | 'client-destroyed'
  /** `TypeError: terminated`: a body cut off by destroy(). */
  | 'stream-terminated'
  /** openai APIConnectionError with no undici cause recognised below it. */
  | 'connection-error'
  | 'other';

export interface ObservedError {
  kind: ErrorKind;
  /** `Name: message` of the error and of each cause below it. */
  chain: string[];
}

const MAX_CAUSES = 8;

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < MAX_CAUSES; ) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function kindOf(error: unknown): ErrorKind | undefined {
  if (!(error instanceof Error)) return undefined;
  const code: unknown = Reflect.get(error, 'code');
  if (code === 'UND_ERR_CLOSED') return 'client-closed';
  if (code === 'UND_ERR_DESTROYED') return 'client-destroyed';
  if (error.name === 'TypeError' && error.message === 'terminated') return 'stream-terminated';
  if (error.constructor.name === 'APIConnectionError') return 'connection-error';
  return undefined;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // SDK errors often keep the generic name 'Error'; their class says more.
  const name = error.name === 'Error' ? error.constructor.name : error.name;
  return `${name}: ${error.message}`;
}

/** Classifies by the most specific error in the `cause` chain. */
export function classifyError(error: unknown): ObservedError {
  const chain = causeChain(error);
  const kinds = chain.map(kindOf).filter((kind) => kind !== undefined);
  const specific = kinds.find((kind) => kind !== 'connection-error');
  return {
    kind: specific ?? kinds[0] ?? 'other',
    chain: chain.map(describeError),
  };
}
