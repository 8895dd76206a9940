import { AgentIdentityError, hasErrorMarker, type AgentIdentityErrorOptions } from '@agent-identity/protocol';

const cryptoErrorMarker = Symbol.for('@agent-identity/crypto/CryptoError');

/**
 * What went wrong, stable across versions:
 * - `KEY_INVALID` — a seed, key or PKCS#8 document of the wrong length or layout, a PKCS#8 text
 *   that is not strict base64, an embedded public key that does not match its seed, an Ed25519
 *   public key that is not a usable curve point, a small-order X25519 recipient key.
 * - `SSH_KEY_INVALID` — an SSH public key line that is not `ssh-ed25519 <base64 blob>[ comment]`.
 * - `SEALED_BOX_INVALID` — a sealed box shorter than its 48 bytes of overhead.
 * - `SEALED_BOX_OPEN_FAILED` — authentication failed or the ephemeral key is unusable.
 * - `TASK_ID_NOT_BASE64`, `TASK_ID_DECRYPT_FAILED`, `TASK_ID_NOT_UTF8` — the SPEC §3.4 failures of
 *   opening an `encrypted_task_id`.
 * - `ASSERTION_RUNTIME_MISMATCH` — a task of another agent runtime than the stored identity.
 */
export type CryptoErrorCode =
  | 'KEY_INVALID'
  | 'SSH_KEY_INVALID'
  | 'SEALED_BOX_INVALID'
  | 'SEALED_BOX_OPEN_FAILED'
  | 'TASK_ID_NOT_BASE64'
  | 'TASK_ID_DECRYPT_FAILED'
  | 'TASK_ID_NOT_UTF8'
  | 'ASSERTION_RUNTIME_MISMATCH';

/** A key, signature or ciphertext is malformed or does not verify. Never carries key material. */
export class CryptoError extends AgentIdentityError {
  declare readonly code: CryptoErrorCode;
  private readonly [cryptoErrorMarker] = true;

  constructor(code: CryptoErrorCode, message: string, options?: AgentIdentityErrorOptions) {
    super(code, message, options);
    this.name = 'CryptoError';
  }

  static override isInstance(value: unknown): value is CryptoError {
    return hasErrorMarker(value, cryptoErrorMarker);
  }
}
