import { UserError } from '../core/index.js';

/** Parses an integer CLI option or throws a one-line usage error (exit code 2). */
export function intOption(flag: string, value: string, min = -Infinity, max = Infinity): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = min > -Infinity ? (max < Infinity ? ` in [${min}, ${max}]` : ` ≥ ${min}`) : '';
    throw new UserError(`${flag}: expected an integer${range}, got '${value}'`, 2);
  }
  return n;
}

export function numberOption(flag: string, value: string, min = -Infinity, max = Infinity): number {
  const n = Number(value);
  const range = [min > -Infinity ? `≥ ${min}` : '', max < Infinity ? `≤ ${max}` : '']
    .filter(Boolean)
    .join(' and ');
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UserError(`${flag}: expected a number${range ? ` ${range}` : ''}, got '${value}'`, 2);
  return n;
}
