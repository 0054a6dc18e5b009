/**
 * General checks for option objects, shared by every package of this repo through the subpath
 * export `@no-close-on-evict/cache-core/option-checks`: one wording for every bad value.
 * Each throws a `TypeError` whose message names the option and shows the value.
 */

/**
 * A value as an error message shows it: strings quoted (so `"100"` and `""` read as strings),
 * numbers as written (`-0`, `NaN`, `Infinity`), bigints with their `n`, functions by name,
 * arrays and objects by kind (`an array`, `an object`, `an instance of Agent`).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return value.name === '' ? 'an anonymous function' : `function ${value.name}`;
    default:
      return describeObject(value as object | null);
  }
}

function describeObject(value: object | null): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === null || prototype === Object.prototype) return 'an object';
  const name: unknown = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object';
}

/** `value` as an options object: anything but a non-array object is a `TypeError` naming `name`. */
export function requireObject(name: string, value: unknown): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Rejects own keys of `value` outside `known`: a typo (`defaultTTL`, `settleCap`) would otherwise
 * be ignored in silence and the default used. Every unknown key is listed at once.
 */
export function rejectUnknownKeys(where: string, value: object, known: readonly string[]): void {
  // A loop, not Object.keys(): `set(key, value, { ttlMs })` checks its options on every call.
  for (const key in value) {
    if (!known.includes(key) && Object.hasOwn(value, key)) {
      const names = Object.keys(value)
        .filter((name) => !known.includes(name))
        .map((name) => JSON.stringify(name))
        .join(', ');
      throw new TypeError(`${where} has unknown key(s) ${names}; known: ${known.join(', ')}`);
    }
  }
}

export function requireFunction<F extends (...args: never[]) => unknown>(name: string, value: unknown): F {
  if (typeof value !== 'function') {
    throw new TypeError(`${name} must be a function, got ${describeValue(value)}`);
  }
  return value as F;
}

export function requireNumber(name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  }
  return value;
}
