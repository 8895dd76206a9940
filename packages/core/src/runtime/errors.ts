import { AgentIdentityError, hasErrorMarker } from '@agent-identity/protocol';

/**
 * What went wrong in the client runtime. Backend failures carry the exact SPEC §3.2–3.4 message
 * (they reach users in the error events) plus `url` and `status` where there is one.
 */
export type CoreErrorCode =
  | 'OPTIONS_INVALID'
  | 'AUTH_FILE_CORRUPT'
  | 'AUTH_FILE_IO'
  | 'AUTH_FILE_HOLDS_IDENTITY_JWT'
  | 'LOCK_TIMEOUT'
  | 'RUNTIME_CLOSED'
  | 'THREAD_NOT_FOUND'
  | 'THREAD_EXISTS'
  | 'THREAD_ID_INVALID'
  | 'ROLLOUT_IO'
  | 'BISCUIT_SEND_FAILED'
  | 'BISCUIT_MISSING_HEADER'
  | 'BISCUIT_REJECTED'
  | 'IDENTITY_REGISTRATION_SEND_FAILED'
  | 'IDENTITY_RESPONSE_INVALID'
  | 'IDENTITY_REGISTRATION_REJECTED'
  | 'TASK_REGISTRATION_SEND_FAILED'
  | 'TASK_RESPONSE_INVALID'
  | 'TASK_REGISTRATION_REJECTED'
  | 'TASK_ID_MISSING'
  | 'TASK_REGISTRATION_BUDGET_SPENT'
  | 'BOOTSTRAP_UNAVAILABLE'
  | 'IDENTITY_JWKS_UNAVAILABLE'
  | 'IDENTITY_JWT_KID_UNTRUSTED'
  | 'IDENTITY_JWT_INVALID';

export interface CoreErrorOptions {
  cause?: unknown;
  isRetryable?: boolean;
  /** The backend URL the failed call was sent to. */
  url?: string;
  /** The HTTP status of the failed call. */
  status?: number;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  retryAfterMs?: number;
  /** The `error.code` of the response's JSON body `{"error": {"code": …}}`, when it had one. */
  responseErrorCode?: string;
}

const coreErrorMarker = Symbol.for('@agent-identity/core/CoreError');

export class CoreError extends AgentIdentityError {
  declare readonly code: CoreErrorCode;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** The `error.code` of the rejecting response's JSON body (`unknown_agent`, `expired`, …). */
  readonly responseErrorCode: string | undefined;
  private readonly [coreErrorMarker] = true;

  constructor(code: CoreErrorCode, message: string, options: CoreErrorOptions = {}) {
    super(code, message, options);
    this.name = 'CoreError';
    this.url = options.url;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.responseErrorCode = options.responseErrorCode;
  }

  static override isInstance(value: unknown): value is CoreError {
    return hasErrorMarker(value, coreErrorMarker);
  }
}
