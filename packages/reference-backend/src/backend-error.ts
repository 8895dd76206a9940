import { AgentIdentityError, hasErrorMarker, type AgentIdentityErrorOptions } from '@agent-identity/protocol';

const backendErrorMarker = Symbol.for('@agent-identity/reference-backend/BackendError');

/**
 * A fault of the backend's own set-up, thrown to the code that starts or drives it:
 * - `OPTIONS_INVALID` — an option (users, port, ttl…) that cannot work.
 * - `FAULT_INVALID` — a fault that does not exist or does not apply to that endpoint.
 */
export type BackendErrorCode = 'OPTIONS_INVALID' | 'FAULT_INVALID';

export class BackendError extends AgentIdentityError {
  declare readonly code: BackendErrorCode;
  private readonly [backendErrorMarker] = true;

  constructor(code: BackendErrorCode, message: string, options?: AgentIdentityErrorOptions) {
    super(code, message, options);
    this.name = 'BackendError';
  }

  static override isInstance(value: unknown): value is BackendError {
    return hasErrorMarker(value, backendErrorMarker);
  }
}
