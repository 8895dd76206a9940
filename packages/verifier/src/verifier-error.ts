import { AgentIdentityError, hasErrorMarker, type AgentIdentityErrorOptions } from '@agent-identity/protocol';

const verifierErrorMarker = Symbol.for('@agent-identity/verifier/VerifierError');

/**
 * A fault of the server, never of the caller (the caller's mistakes are rejection results):
 * - `OPTIONS_INVALID` — a negative or non-integer window or cache size.
 * - `REGISTERED_KEY_INVALID` — the key registry returned something that is not an `ssh-ed25519`
 *   public key (the `CryptoError` as `cause`).
 */
export type VerifierErrorCode = 'OPTIONS_INVALID' | 'REGISTERED_KEY_INVALID';

export class VerifierError extends AgentIdentityError {
  declare readonly code: VerifierErrorCode;
  private readonly [verifierErrorMarker] = true;

  constructor(code: VerifierErrorCode, message: string, options?: AgentIdentityErrorOptions) {
    super(code, message, options);
    this.name = 'VerifierError';
  }

  static override isInstance(value: unknown): value is VerifierError {
    return hasErrorMarker(value, verifierErrorMarker);
  }
}
