import { CryptoError } from './crypto-error.js';

/**
 * The error for an assertion asked for a task of another agent runtime than the stored identity
 * (SPEC §3.6), with the SPEC text.
 */
export function assertionRuntimeMismatch(taskRuntime: string, storedRuntime: string): CryptoError {
  return new CryptoError(
    'ASSERTION_RUNTIME_MISMATCH',
    `agent task runtime ${taskRuntime} does not match stored agent identity ${storedRuntime}`,
  );
}
