import { AdapterError } from '../adapter.js';
import { describeValue } from '@no-close-on-evict/cache-core/option-checks';

/** One field of what a ready adapter's factory takes. */
export interface ConfigField {
  type: 'function' | 'object' | 'string';
  /** Missing is an error. */
  required?: boolean;
  /** What the value must be, for the message; default: the type. */
  mustBe?: string;
}

const fitsType = (value: unknown, type: ConfigField['type']): boolean =>
  type === 'object'
    ? typeof value === 'object' && value !== null && !Array.isArray(value)
    : type === 'string'
      ? typeof value === 'string' && value !== ''
      : typeof value === 'function';

const defaultMustBe: Record<ConfigField['type'], string> = {
  function: 'a function',
  object: 'an object',
  string: 'a non-empty string',
};

/**
 * Checks what a ready adapter's factory was given, before any case runs: a missing cache class
 * is the adapter's configuration error, named as such, not a failed case blaming the cache.
 */
export function checkAdapterConfig(factory: string, config: unknown, fields: Record<string, ConfigField>): void {
  const shape = Object.entries(fields)
    .map(([key, field]) => (field.required ? key : `${key}?`))
    .join(', ');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new AdapterError(`${factory} needs an object { ${shape} }, got ${describeValue(config)}`);
  }
  for (const [key, field] of Object.entries(fields)) {
    const value: unknown = Reflect.get(config, key);
    if (value === undefined && !field.required) continue;
    if (!fitsType(value, field.type)) {
      const when = field.required ? '' : ' when given';
      throw new AdapterError(`${factory}: ${key} must be ${field.mustBe ?? defaultMustBe[field.type]}${when}, got ${describeValue(value)}`);
    }
  }
}

// What every ready adapter for a cache library takes besides the library's own export.
const LIBRARY_FIELDS: Record<string, ConfigField> = {
  options: { type: 'object' },
  name: { type: 'string' },
  shutdown: { type: 'function' },
};

/**
 * Checks `{ <export>, options?, name?, shutdown?, ...extra }` for a ready library adapter:
 * `exported` names the class or factory the user passes from their own install of the library.
 */
export function checkLibraryConfig(
  factory: string,
  config: unknown,
  exported: { key: string; mustBe: string },
  extra: Record<string, ConfigField> = {},
): void {
  checkAdapterConfig(factory, config, {
    [exported.key]: { type: 'function', required: true, mustBe: exported.mustBe },
    ...LIBRARY_FIELDS,
    ...extra,
  });
}

/**
 * Builds the user's cache from their class and options. A constructor that throws (an option the
 * library rejects) is reported as the adapter's options error, with the library's own as `cause`.
 */
export function buildCache<TCache>(factory: string, className: string, build: () => TCache): TCache {
  try {
    return build();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AdapterError(`${factory}: new ${className}(options) threw: ${reason}; check options`, { cause: error });
  }
}
