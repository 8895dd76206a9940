import { AgentIdentityError, hasErrorMarker } from '@agent-identity/protocol';

/** What went wrong on a WebSocket (README: *Errors*). */
export type TransportWsErrorCode =
  | 'HANDSHAKE_REJECTED'
  | 'HANDSHAKE_FAILED'
  | 'TASK_REGISTRATION_FAILED'
  | 'POOL_CLOSED'
  | 'RESPONSE_ERROR'
  | 'EVENT_INVALID'
  | 'SOCKET_CLOSED'
  | 'SOCKET_BUSY'
  | 'OPTIONS_INVALID';

export interface TransportWsErrorOptions {
  cause?: unknown;
  isRetryable?: boolean;
  /** The endpoint, origin and path only (a query may hold secrets). */
  url?: string;
  /** The HTTP status the server answered the upgrade with. */
  status?: number;
  /** The server's reason code: the `error.code` of a refusal body or of an `error` frame. */
  reason?: string;
  closeCode?: number;
  closeReason?: string;
}

const transportWsErrorMarker = Symbol.for('@agent-identity/transport-ws/TransportWsError');

/** A typed WebSocket failure. The message names the URL and the server's reason, never a header. */
export class TransportWsError extends AgentIdentityError {
  declare readonly code: TransportWsErrorCode;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly closeCode: number | undefined;
  readonly closeReason: string | undefined;
  private readonly [transportWsErrorMarker] = true;

  constructor(code: TransportWsErrorCode, message: string, options: TransportWsErrorOptions = {}) {
    super(code, message, options);
    this.name = 'TransportWsError';
    this.url = options.url;
    this.status = options.status;
    this.reason = options.reason;
    this.closeCode = options.closeCode;
    this.closeReason = options.closeReason;
  }

  static override isInstance(value: unknown): value is TransportWsError {
    return hasErrorMarker(value, transportWsErrorMarker);
  }
}

/** `url` without credentials, query or fragment: what error messages may show. */
export function displayUrl(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
