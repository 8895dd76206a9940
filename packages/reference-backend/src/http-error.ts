import { AgentIdentityError } from '@agent-identity/protocol';

/**
 * A request the backend refuses: thrown by a handler, answered by the router as
 * `{"error": {"code", "message"}}` with `status`. The message reaches the client, so it never
 * holds a token, biscuit or key.
 */
export class HttpError extends AgentIdentityError {
  readonly status: number;
  /** The `error.code` of the JSON body (`invalid_json`, `unknown_agent`, …). */
  readonly errorCode: string;
  readonly headers: Readonly<Record<string, string>>;
  /** More fields of the body's `error` object (the 404's `paths`). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    errorCode: string,
    message: string,
    headers: Record<string, string> = {},
    details: Record<string, unknown> = {},
  ) {
    super('HTTP_REQUEST_REFUSED', message);
    this.name = 'HttpError';
    this.status = status;
    this.errorCode = errorCode;
    this.headers = headers;
    this.details = details;
  }
}
