import { describeValue } from '@no-close-on-evict/cache-core/option-checks';

/** What a numeric option accepts. By default: a positive finite number, required. */
export interface NumberRule {
  /** Used when the option is absent; without one, the option is required. */
  fallback?: number;
  integer?: boolean;
  allowZero?: boolean;
  /** Negative numbers too (a point in time); implies `allowZero`. */
  allowNegative?: boolean;
  allowInfinity?: boolean;
}

function describeRule({ integer = false, allowZero = false, allowNegative = false, allowInfinity = false }: NumberRule): string {
  const sign = allowNegative ? '' : allowZero ? 'non-negative ' : 'positive ';
  const kind = integer ? 'integer' : allowInfinity ? 'number (Infinity allowed)' : 'finite number';
  return `${sign}${kind}`;
}

/**
 * `value` checked against `rule`, or its fallback when absent: a TypeError naming the option and
 * the value for anything not a number, a RangeError for a number out of range.
 */
export function checkedNumber(option: string, value: unknown, rule: NumberRule = {}): number {
  if (value === undefined && rule.fallback !== undefined) return rule.fallback;
  const message = `${option} must be a ${describeRule(rule)}, got ${describeValue(value)}`;
  if (typeof value !== 'number') throw new TypeError(message);
  const { integer = false, allowZero = false, allowNegative = false, allowInfinity = false } = rule;
  const inRange =
    !Number.isNaN(value) &&
    (allowNegative || value > 0 || (allowZero && value === 0)) &&
    (Number.isFinite(value) || (allowInfinity && (value === Number.POSITIVE_INFINITY || allowNegative))) &&
    (!integer || Number.isInteger(value));
  if (!inRange) throw new RangeError(message);
  return value;
}
