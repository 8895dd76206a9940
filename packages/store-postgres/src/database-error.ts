import { CoreError, type CoreErrorCode } from '@agent-identity/core';

/**
 * Runs a database call and turns its failure into the port's `CoreError` (`AUTH_FILE_IO` for the
 * identity slot, `ROLLOUT_IO` for rollouts), retryable, with the driver's error as `cause`. The
 * message names the operation and the SQLSTATE, never a parameter (records hold private keys).
 * A `CoreError` (a rule of the port, e.g. `THREAD_NOT_FOUND`) passes through unchanged.
 */
export async function databaseCall<T>(code: CoreErrorCode, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CoreError) throw error;
    const sqlState = (error as { code?: unknown }).code;
    const reason =
      typeof sqlState === 'string' ? `SQLSTATE ${sqlState}` : error instanceof Error ? error.name : 'unknown error';
    throw new CoreError(code, `PostgreSQL ${operation} failed (${reason})`, { cause: error, isRetryable: true });
  }
}
