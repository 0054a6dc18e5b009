import { describeValue } from '@no-close-on-evict/cache-core/option-checks';
import type { ClientKind, KindBackend } from './client-kind.js';

const REQUIRED_METHODS = {
  startBackend: '(options) => Promise<backend>',
  createClient: '(backend, options) => client',
  closers: '(client) => object[]',
  followUp: '(client, backend) => Promise<unknown>',
  longOperation: '(client, backend, holdId) => { started, finished }',
  dispose: '(client) => unknown',
} as const;

const OPTIONAL_METHODS = {
  connect: '(client, backend) => Promise<void>',
  classifyError: '(error) => ErrorKind | undefined',
} as const;

/** Throws a TypeError naming the first missing or wrong member of `kind`. */
export function validateClientKind(kind: unknown): asserts kind is ClientKind {
  if (typeof kind !== 'object' || kind === null || Array.isArray(kind)) {
    throw new TypeError(`a client kind must be an object { name, startBackend, createClient, … }, got ${describeValue(kind)}`);
  }
  const name: unknown = Reflect.get(kind, 'name');
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`client kind: name must be a non-empty string, got ${describeValue(name)}`);
  }
  const label = `client kind '${name}'`;
  for (const [member, shape] of Object.entries(REQUIRED_METHODS)) {
    const value: unknown = Reflect.get(kind, member);
    if (typeof value !== 'function') throw new TypeError(`${label}: ${member} must be a function ${shape}, got ${describeValue(value)}`);
  }
  for (const [member, shape] of Object.entries(OPTIONAL_METHODS)) {
    const value: unknown = Reflect.get(kind, member);
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`${label}: ${member} must be a function ${shape} when given, got ${describeValue(value)}`);
    }
  }
  const verbs: unknown = Reflect.get(kind, 'closingVerbs');
  if (verbs === undefined) return;
  if (!Array.isArray(verbs)) throw new TypeError(`${label}: closingVerbs must be an array of method names or symbols, got ${describeValue(verbs)}`);
  for (const verb of verbs as unknown[]) {
    if ((typeof verb !== 'string' || verb === '') && typeof verb !== 'symbol') {
      throw new TypeError(`${label}: closingVerbs must hold method names or symbols, got ${describeValue(verb)}`);
    }
  }
}

/**
 * Declares a client kind: checks it now (a TypeError names the first missing or wrong member)
 * and returns it typed, for `checkEvictionSafety({ clients: [kind] })`.
 */
export function defineClientKind<TClient extends object, TBackend extends KindBackend>(
  kind: ClientKind<TClient, TBackend>,
): ClientKind<TClient, TBackend> {
  validateClientKind(kind);
  return kind;
}
