import { WebSocket } from 'ws';
import type { TurnAuth } from '@agent-identity/core';
import { handshakeHeaders } from './handshake-headers.js';
import { handshakeRejected, readHandshakeRefusal } from './handshake-refusal.js';
import { displayUrl, TransportWsError } from './transport-ws-error.js';

export interface DialOptions {
  /** Extra handshake headers; `Authorization` and `ChatGPT-Account-ID` come from the auth only. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A handshake without an answer by then fails with `HANDSHAKE_FAILED`. Default 15 000. */
  readonly handshakeTimeoutMs?: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 15_000;

/**
 * One handshake carrying `auth.headers()` built now (README: the rules, step by step). Resolves with the open
 * socket; rejects with `HANDSHAKE_REJECTED` (the server answered without upgrading; `reason` from
 * its JSON body) or `HANDSHAKE_FAILED` (no answer).
 */
export function dialAgentSocket(
  url: string | URL,
  auth: Pick<TurnAuth, 'headers'>,
  options: DialOptions = {},
): Promise<WebSocket> {
  const shownUrl = displayUrl(url);
  const socket = new WebSocket(url, {
    headers: handshakeHeaders(auth, options.headers),
    handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: TransportWsError): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    // Stays attached after a refusal: terminating a socket that never opened emits one more error.
    const onError = (error: Error): void => {
      fail(
        new TransportWsError('HANDSHAKE_FAILED', `WebSocket handshake to ${shownUrl} failed: ${error.message}`, {
          url: shownUrl,
          cause: error,
          isRetryable: true,
        }),
      );
    };
    socket.on('error', onError);
    socket.once('open', () => {
      settled = true;
      socket.off('error', onError);
      resolve(socket);
    });
    socket.once('unexpected-response', (_request, response) => {
      void readHandshakeRefusal(response).then((refusal) => {
        fail(handshakeRejected(shownUrl, refusal));
        socket.terminate();
      });
    });
  });
}
