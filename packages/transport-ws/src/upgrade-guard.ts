import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { silentLogger, type Logger } from '@agent-identity/core';
import { authorizeRequest, type AgentVerifier } from '@agent-identity/verifier';
import type { BearerAuthenticator, UpgradeCaller } from './upgrade-caller.js';
import { TransportWsError } from './transport-ws-error.js';
import { refuseUpgrade } from './upgrade-refusal.js';

/** Options of `createUpgradeGuard` (README: *Server API*). */
export interface UpgradeGuardOptions<BearerIdentity = never> {
  readonly verifier: Pick<AgentVerifier, 'verifyAssertion'>;
  /** Created with `{ noServer: true }`: it accepts the upgrades the guard lets through. */
  readonly wss: WebSocketServer;
  /** Checks a `Bearer` token (it may look at the upgrade request). Without it, bearer handshakes are refused with `invalid_token`. */
  readonly authenticateBearer?: BearerAuthenticator<BearerIdentity, IncomingMessage>;
  /** Gets each accepted socket with its verified caller. */
  readonly onConnection?: (socket: WebSocket, caller: UpgradeCaller<BearerIdentity>, request: IncomingMessage) => void;
  /** A registry or `authenticateBearer` failure (answered 500) is logged at `error`. Default silent. */
  readonly logger?: Logger;
  /** Accepted sockets open at most; a handshake beyond is refused 503 `too_many_connections`. Default 1 024. */
  readonly maxConnections?: number;
  /** An accepted socket that sends nothing this long is closed with `4002` `idle timeout`. Default 300 000. */
  readonly idleTimeoutMs?: number;
}

/** Close code and reason of an accepted socket the guard closes for sending nothing for `idleTimeoutMs`. */
export const IDLE_CLOSE_CODE = 4002;
export const IDLE_CLOSE_REASON = 'idle timeout';

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TransportWsError('OPTIONS_INVALID', `options.${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Closes `socket` once it has sent nothing for `idleTimeoutMs`; every frame rearms the timer. */
function closeWhenIdle(socket: WebSocket, idleTimeoutMs: number): void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      socket.close(IDLE_CLOSE_CODE, IDLE_CLOSE_REASON);
    }, idleTimeoutMs);
    timer.unref();
  };
  socket.on('message', arm);
  socket.once('close', () => {
    clearTimeout(timer);
  });
  arm();
}

/** An `upgrade` listener for a `node:http` / `node:https` server. */
export type UpgradeGuard = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Verifies each handshake's `Authorization` before accepting it (README: the rules, step by step): a refused
 * one gets an HTTP 401 with the SPEC §3.8 reason, never an open socket. Beyond `maxConnections`
 * open sockets a handshake gets 503; an accepted socket silent for `idleTimeoutMs` is closed.
 * Throws `OPTIONS_INVALID` for a bad limit.
 */
export function createUpgradeGuard<BearerIdentity = never>(options: UpgradeGuardOptions<BearerIdentity>): UpgradeGuard {
  const { verifier, wss, authenticateBearer, onConnection } = options;
  const logger = options.logger ?? silentLogger;
  const maxConnections = positiveInteger('maxConnections', options.maxConnections ?? 1_024);
  const idleTimeoutMs = positiveInteger('idleTimeoutMs', options.idleTimeoutMs ?? 300_000);
  const open = new Set<WebSocket>();
  const challenge = authenticateBearer === undefined ? 'AgentAssertion' : 'AgentAssertion, Bearer';

  async function guard(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (open.size >= maxConnections) {
      refuseUpgrade(
        socket,
        503,
        { code: 'too_many_connections', message: 'the server has as many WebSockets open as it allows' },
        {
          'retry-after': '1',
        },
      );
      return;
    }
    let authorization;
    try {
      // verifier's authorizeRequest: the same rules the reference backend applies.
      authorization = await authorizeRequest(request.headers.authorization, {
        verifier,
        ...(authenticateBearer === undefined
          ? {}
          : { authenticateBearer: (token: string) => authenticateBearer(token, request) }),
      });
    } catch (error) {
      logger.error('agent identity: could not verify a WebSocket handshake', {
        error: error instanceof Error ? error.message : String(error),
      });
      refuseUpgrade(socket, 500, { code: 'server_error', message: 'could not verify the credentials' });
      return;
    }
    if (!authorization.ok) {
      refuseUpgrade(socket, 401, authorization, { 'www-authenticate': challenge });
      return;
    }
    // a client that hung up while we verified is not upgraded.
    if (socket.destroyed || !socket.readable) {
      socket.destroy();
      return;
    }
    const { caller } = authorization;
    wss.handleUpgrade(request, socket, head, (webSocket) => {
      open.add(webSocket);
      webSocket.once('close', () => open.delete(webSocket));
      closeWhenIdle(webSocket, idleTimeoutMs);
      onConnection?.(webSocket, caller, request);
      wss.emit('connection', webSocket, request, caller);
    });
  }

  return (request, socket, head) => {
    // Until `ws` takes the socket over, nobody else listens for its errors.
    socket.on('error', () => {
      socket.destroy();
    });
    void guard(request, socket, head);
  };
}
