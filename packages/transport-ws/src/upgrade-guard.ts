import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { silentLogger, type Logger } from '@agent-identity/core';
import { authorizeRequest, type AgentVerifier } from '@agent-identity/verifier';
import type { BearerAuthenticator, UpgradeCaller } from './upgrade-caller.js';
import { refuseUpgrade } from './upgrade-refusal.js';

/** Options of `createUpgradeGuard` (README: *Server API*). */
export interface UpgradeGuardOptions<BearerIdentity = never> {
  readonly verifier: Pick<AgentVerifier, 'verifyAssertion'>;
  /** Created with `{ noServer: true }`: it accepts the upgrades the guard lets through. */
  readonly wss: WebSocketServer;
  /** Checks a `Bearer` token. Without it, bearer handshakes are refused with `invalid_token`. */
  readonly authenticateBearer?: BearerAuthenticator<BearerIdentity>;
  /** Gets each accepted socket with its verified caller. */
  readonly onConnection?: (socket: WebSocket, caller: UpgradeCaller<BearerIdentity>, request: IncomingMessage) => void;
  /** A registry or `authenticateBearer` failure (answered 500) is logged at `error`. Default silent. */
  readonly logger?: Logger;
}

/** An `upgrade` listener for a `node:http` / `node:https` server. */
export type UpgradeGuard = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Verifies each handshake's `Authorization` before accepting it (README steps G1–G5): a refused
 * one gets an HTTP 401 with the SPEC §3.8 reason, never an open socket.
 */
export function createUpgradeGuard<BearerIdentity = never>(options: UpgradeGuardOptions<BearerIdentity>): UpgradeGuard {
  const { verifier, wss, authenticateBearer, onConnection } = options;
  const logger = options.logger ?? silentLogger;
  const challenge = authenticateBearer === undefined ? 'AgentAssertion' : 'AgentAssertion, Bearer';

  async function guard(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let authorization;
    try {
      // G1–G4: verifier's authorizeRequest, the same rules the reference backend applies.
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
    // G5 — a client that hung up while we verified is not upgraded.
    if (socket.destroyed || !socket.readable) {
      socket.destroy();
      return;
    }
    const { caller } = authorization;
    wss.handleUpgrade(request, socket, head, (webSocket) => {
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
