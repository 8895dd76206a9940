import { CoreError } from './errors.js';

/**
 * Construction-time checks of options: a mistake is a `CoreError` `OPTIONS_INVALID` from the
 * constructor, naming the option, rather than a confusing failure at the first call.
 */
export function optionsInvalid(message: string): CoreError {
  return new CoreError('OPTIONS_INVALID', message);
}

/** `value` as a non-empty string (a path, a folder), else `OPTIONS_INVALID` naming `option`. */
export function requiredText(option: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw optionsInvalid(`options.${option} must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

/** `value` as a positive finite number, `fallback` when absent, else `OPTIONS_INVALID`. */
export function positiveNumber(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw optionsInvalid(`options.${option} must be a positive number, got ${describeValue(value)}`);
  }
  return value;
}

/** What a bad option held, by kind only for strings: an option may be a secret put in the wrong place. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}
