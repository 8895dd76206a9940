import { CoreError } from '@agent-identity/core';
import type { Pool } from 'pg';

/**
 * The stores' options, checked in `open` before any query: a missing pool would otherwise be a
 * `TypeError` from inside the migrations. Mistakes are core's `OPTIONS_INVALID`, like its own stores'.
 */
export function checkedPool(pool: unknown): Pool {
  if (!isPoolLike(pool)) throw new CoreError('OPTIONS_INVALID', 'options.pool must be a pg.Pool');
  return pool;
}

function isPoolLike(value: unknown): value is Pool {
  return (
    typeof value === 'object' &&
    value !== null &&
    'query' in value &&
    typeof value.query === 'function' &&
    'connect' in value &&
    typeof value.connect === 'function'
  );
}

/** The identity slot: a non-empty string, `default` when absent. */
export function checkedSlot(slot: unknown): string {
  if (slot === undefined) return 'default';
  if (typeof slot !== 'string' || slot === '') {
    throw new CoreError('OPTIONS_INVALID', 'options.slot must be a non-empty string');
  }
  return slot;
}

/** The lock wait: a positive finite number of milliseconds, `fallback` when absent. */
export function checkedTimeoutMs(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new CoreError(
      'OPTIONS_INVALID',
      `options.${option} must be a positive number, got ${typeof value === 'number' ? value : typeof value}`,
    );
  }
  return value;
}
