import { types } from 'node:util';
import type { ErrorKind, ObservedError } from './error-kind.js';

/**
 * An Error from any realm: under Jest, the test's modules run in their own context, so errors
 * Node's own modules throw are not `instanceof` the test's Error.
 */
export function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/** Names what one error (one link of a cause chain) says, or undefined when it does not know it. */
export type ErrorClassifier = (error: unknown) => ErrorKind | undefined;

const MAX_CAUSES = 8;

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < MAX_CAUSES; ) {
    chain.push(current);
    current = isError(current) ? current.cause : undefined;
  }
  return chain;
}

function describeError(error: unknown): string {
  if (!isError(error)) return String(error);
  // SDK errors often keep the generic name 'Error'; their class says more.
  const name = error.name === 'Error' ? error.constructor.name : error.name;
  return `${name}: ${error.message}`;
}

/**
 * Walks the `cause` chain and keeps the most specific kind the client's classifier names: an SDK's
 * generic connection error counts only when nothing below it is recognised.
 */
export function classifyError(error: unknown, classify: ErrorClassifier = () => undefined): ObservedError {
  const chain = causeChain(error);
  const kinds = chain.map((link) => classify(link)).filter((kind) => kind !== undefined);
  const specific = kinds.find((kind) => kind !== 'connection-error');
  return {
    kind: specific ?? kinds[0] ?? 'other',
    chain: chain.map(describeError),
  };
}
