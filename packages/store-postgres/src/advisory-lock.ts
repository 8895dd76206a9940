import type { Pool, PoolClient } from 'pg';
import { CoreError, type CoreErrorCode } from '@agent-identity/core';
import { databaseCall } from './database-error.js';

/** The first key of every advisory lock this package takes, so its locks never meet another program's. */
const LOCK_NAMESPACE = '@agent-identity/store-postgres';

/** SQLSTATE `lock_not_available`: `lock_timeout` ran out while waiting. */
const LOCK_NOT_AVAILABLE = '55P03';

export interface AdvisoryLockOptions {
  /** What the lock guards, e.g. `migrations` or `identity:<slot>`. */
  readonly name: string;
  /** How long to wait for a holder in another process before `LOCK_TIMEOUT`. */
  readonly timeoutMs: number;
  /** The `CoreError` code of a database failure while taking the lock. */
  readonly errorCode: CoreErrorCode;
}

/**
 * Runs `section` holding a session-level `pg_advisory_lock` on a connection of its own, kept out
 * of the pool until the section ends. The lock belongs to that connection: when the holding
 * process dies, PostgreSQL ends its session and the lock is free at once (no heartbeat, no stale
 * lock to break). `section` gets the connection, for work that must run under the lock.
 */
export async function withAdvisoryLock<T>(
  pool: Pool,
  options: AdvisoryLockOptions,
  section: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await databaseCall(options.errorCode, 'connect', () => pool.connect());
  // A connection whose lock may still be held (it failed to lock or unlock) is destroyed, not
  // pooled: ending its session is what releases the lock.
  let unsure: Error | undefined;
  try {
    await databaseCall(options.errorCode, `lock ${options.name}`, () => acquire(client, options)).catch(
      (error: unknown) => {
        if ((error as CoreError).code !== 'LOCK_TIMEOUT') unsure = error as CoreError;
        throw error;
      },
    );
    try {
      return await section(client);
    } finally {
      await client
        .query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [LOCK_NAMESPACE, options.name])
        .catch((error: unknown) => {
          unsure = error instanceof Error ? error : new Error(String(error));
        });
    }
  } finally {
    client.release(unsure);
  }
}

async function acquire(client: PoolClient, { name, timeoutMs }: AdvisoryLockOptions): Promise<void> {
  // `SET` takes no parameters; `set_config(…, true)` would end with the statement's transaction.
  await client.query(`SET lock_timeout = ${Math.max(1, Math.ceil(timeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [LOCK_NAMESPACE, name]);
  } catch (error) {
    if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) {
      throw new CoreError('LOCK_TIMEOUT', `the PostgreSQL lock ${name} was not free within ${timeoutMs} ms`, {
        cause: error,
        isRetryable: true,
      });
    }
    throw error;
  } finally {
    await client.query('RESET lock_timeout');
  }
}
