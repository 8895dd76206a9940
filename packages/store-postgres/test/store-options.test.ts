import pg from 'pg';
import { CoreError } from '@agent-identity/core';
import { describe, expect, it } from 'vitest';
import { PostgresIdentityStore, PostgresRolloutStore } from '../src/index.js';

/** A pool on a port nothing listens on: any query would fail with ECONNREFUSED, not OPTIONS_INVALID. */
function unreachablePool(): pg.Pool {
  return new pg.Pool({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 1_000 });
}

function optionsInvalid(message: string): (error: unknown) => boolean {
  return (error) => CoreError.isInstance(error) && error.code === 'OPTIONS_INVALID' && error.message === message;
}

describe('the stores check their options before any query (issue 12 item 9)', () => {
  it('without a pool: OPTIONS_INVALID, not a TypeError from inside the migrations', async () => {
    await expect(PostgresIdentityStore.open({} as never)).rejects.toSatisfy(
      optionsInvalid('options.pool must be a pg.Pool'),
    );
    await expect(PostgresRolloutStore.open({ pool: 'postgres://x' } as never)).rejects.toSatisfy(
      optionsInvalid('options.pool must be a pg.Pool'),
    );
  });

  it('an empty slot or a lock timeout that is not positive: OPTIONS_INVALID', async () => {
    const pool = unreachablePool();
    try {
      await expect(PostgresIdentityStore.open({ pool, slot: '' })).rejects.toSatisfy(
        optionsInvalid('options.slot must be a non-empty string'),
      );
      await expect(PostgresIdentityStore.open({ pool, lockTimeoutMs: Number.NaN })).rejects.toSatisfy(
        optionsInvalid('options.lockTimeoutMs must be a positive number, got NaN'),
      );
    } finally {
      await pool.end();
    }
  });
});
