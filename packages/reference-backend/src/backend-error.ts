import { AgentIdentityError, hasErrorMarker, type AgentIdentityErrorOptions } from '@agent-identity/protocol';

const backendErrorMarker = Symbol.for('@agent-identity/reference-backend/BackendError');

/**
 * A fault of the backend's own set-up, thrown to the code that starts or drives it:
 * - `OPTIONS_INVALID` — an option (users, port, ttl…) that cannot work.
 * - `LISTEN_FAILED` — the server could not listen on its address (in use, not permitted); the
 *   message names the address and the system's code (`EADDRINUSE`).
 * - `FAULT_INVALID` — a fault that does not exist or does not apply to that endpoint.
 * - `ADMIN_UNREACHABLE` — `BackendAdminClient` could not reach the backend (retryable).
 * - `ADMIN_UNSUPPORTED` — the backend has no `/_admin` API (a real backend has none).
 * - `ADMIN_CALL_FAILED` — an admin call was refused (retryable when the backend answered 5xx).
 */
export type BackendErrorCode =
  | 'OPTIONS_INVALID'
  | 'LISTEN_FAILED'
  | 'FAULT_INVALID'
  | 'ADMIN_UNREACHABLE'
  | 'ADMIN_UNSUPPORTED'
  | 'ADMIN_CALL_FAILED';

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
