import { AgentIdentityError, hasErrorMarker, type AgentIdentityErrorOptions } from '@agent-identity/protocol';

const gatewayErrorMarker = Symbol.for('@agent-identity/agent-gateway/GatewayError');

/**
 * A fault of the gateway's set-up or of what it depends on, never of a caller's request (those are
 * answered with the SPEC's 401 codes):
 * - `OPTIONS_INVALID` — an option that cannot work (an upstream URL that is not http(s), …).
 * - `LISTEN_FAILED` — the gateway could not listen on its address (in use, not permitted); the
 *   message names the address and the system's code (`EADDRINUSE`).
 * - `REGISTRY_UNAVAILABLE` — the registry could not be read (the backend's admin API is down or
 *   answered something else); the request is answered 503, never let through.
 *
 * The admin API's own failures are the reference backend's `BackendError`s (`ADMIN_…`).
 */
export type GatewayErrorCode = 'OPTIONS_INVALID' | 'LISTEN_FAILED' | 'REGISTRY_UNAVAILABLE';

export class GatewayError extends AgentIdentityError {
  declare readonly code: GatewayErrorCode;
  private readonly [gatewayErrorMarker] = true;

  constructor(code: GatewayErrorCode, message: string, options?: AgentIdentityErrorOptions) {
    super(code, message, options);
    this.name = 'GatewayError';
  }

  static override isInstance(value: unknown): value is GatewayError {
    return hasErrorMarker(value, gatewayErrorMarker);
  }
}
