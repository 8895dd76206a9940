import { CryptoError, type CryptoErrorCode } from './crypto-error.js';

/** Ed25519 seeds and public keys, X25519 secrets and public keys: all 32 bytes. */
export const keyLength = 32;

/**
 * `value` itself when it is 32 bytes, else a `CryptoError` naming what was expected (never the
 * bytes: they may be secret). Callers are often plain JavaScript, so the type is checked too.
 */
export function requireKeyBytes(value: unknown, what: string, code: CryptoErrorCode = 'KEY_INVALID'): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== keyLength) {
    throw new CryptoError(code, `${what} must be ${keyLength} bytes`);
  }
  return value;
}
