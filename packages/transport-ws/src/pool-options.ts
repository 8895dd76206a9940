import { globalTimers, silentLogger, type Logger, type Timers } from '@agent-identity/core';
import type { TelemetryOptions } from '@agent-identity/protocol';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from './dial-agent-socket.js';
import { TransportWsError } from './transport-ws-error.js';

/** Options of `createAgentSocketPool` (README: *Client API*). */
export interface AgentSocketPoolOptions {
  /** The WebSocket endpoint, e.g. `wss://…/v1/responses`. */
  readonly url: string | URL;
  /** The server's maximum connection age. Default 3 600 000 (60 min); `Infinity`: never rotate. */
  readonly maxAgeMs?: number;
  /**
   * How long before `maxAgeMs` a socket stops being handed out; at least the longest turn.
   * Default `maxAgeMs / 10`.
   */
  readonly rotationMarginMs?: number;
  /** Default 15 000. */
  readonly handshakeTimeoutMs?: number;
  /** Extra handshake headers; `Authorization` and `ChatGPT-Account-ID` in it are ignored. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** Schedules the rotation of idle sockets. Default: the global timers. */
  readonly timers?: Timers;
  /** Default silent. Never receives a header. */
  readonly logger?: Logger;
  /**
   * OpenTelemetry providers: a span per dial, open sockets and retirements counted (README:
   * *Telemetry*). Default: none.
   */
  readonly telemetry?: TelemetryOptions;
}

export const DEFAULT_MAX_AGE_MS = 60 * 60_000;

export interface ResolvedPoolOptions {
  readonly url: string;
  readonly maxAgeMs: number;
  readonly rotationMarginMs: number;
  readonly handshakeTimeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly now: () => number;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly telemetry: TelemetryOptions | undefined;
}

function invalid(message: string): TransportWsError {
  return new TransportWsError('OPTIONS_INVALID', message);
}

export function resolvePoolOptions(options: AgentSocketPoolOptions): ResolvedPoolOptions {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (error) {
    throw new TransportWsError('OPTIONS_INVALID', 'options.url is not a URL', { cause: error });
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw invalid('options.url must be a ws: or wss: URL');
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  if (Number.isNaN(maxAgeMs) || maxAgeMs <= 0)
    throw invalid(`options.maxAgeMs must be a positive number, got ${maxAgeMs}`);
  const rotationMarginMs = options.rotationMarginMs ?? (Number.isFinite(maxAgeMs) ? maxAgeMs / 10 : 0);
  if (
    !Number.isFinite(rotationMarginMs) ||
    rotationMarginMs < 0 ||
    (Number.isFinite(maxAgeMs) && rotationMarginMs >= maxAgeMs)
  ) {
    throw invalid(`options.rotationMarginMs must be at least 0 and less than maxAgeMs, got ${rotationMarginMs}`);
  }
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  if (!Number.isFinite(handshakeTimeoutMs) || handshakeTimeoutMs <= 0) {
    throw invalid(`options.handshakeTimeoutMs must be a positive number, got ${handshakeTimeoutMs}`);
  }
  return {
    url: url.href,
    maxAgeMs,
    rotationMarginMs,
    handshakeTimeoutMs,
    headers: { ...options.headers },
    now: options.now ?? Date.now,
    timers: options.timers ?? globalTimers,
    logger: options.logger ?? silentLogger,
    telemetry: options.telemetry,
  };
}
