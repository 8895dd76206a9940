import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CREDENTIALS_REVOKED_CLOSE_CODE } from '@agent-identity/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BackendContext } from './backend-context.js';
import { admitDownstream } from './downstream-acceptance.js';
import type { DownstreamCaller } from './downstream-auth.js';
import { MAX_BODY_BYTES } from './json-body.js';
import { errorBody } from './json-response.js';
import { ResponsesSocket, type Misbehaviour, type WebSocketRecord } from './responses-socket.js';
import { writeRawResponse } from './raw-http-response.js';
import type { HttpError } from './http-error.js';
import { statusFaultAnswer } from './status-fault-body.js';

/** Close code of a socket closed because it reached the maximum connection age. */
export const WS_CLOSE_MAX_AGE = 4000;
export const WS_CLOSE_MAX_AGE_REASON = 'max connection age reached';
/** Close code (going away) of the sockets still open when the backend closes. */
export const WS_CLOSE_SHUTDOWN = 1001;

// How long close() lets clients answer the close frame before their sockets are destroyed.
const shutdownGraceMs = 250;

type Connection = ResponsesSocket;

/**
 * The WebSocket side of `…/v1/responses` (SPEC §3.8). The handshake is authorized before it is
 * accepted: a refused one gets an HTTP answer on the raw socket and never becomes a WebSocket.
 */
export class ResponsesWebSocketHub {
  readonly #server = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  readonly #connections = new Set<Connection>();
  readonly #context: BackendContext;
  readonly #responsesPath: string;
  readonly #notFound: (pathname: string) => HttpError;
  #maxAgeMs: number | null = null;

  /** `responsesPath`: the one path that upgrades (SPEC §3.8); any other gets `notFound`'s 404. */
  constructor(context: BackendContext, responsesPath: string, notFound: (pathname: string) => HttpError) {
    this.#context = context;
    this.#responsesPath = responsesPath;
    this.#notFound = notFound;
  }

  /** The HTTP server's `upgrade` listener. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Once upgraded the HTTP server no longer watches the socket: an error must not crash us.
    socket.on('error', () => {
      socket.destroy();
    });
    this.#upgrade(request, socket, head).catch(() => {
      socket.destroy();
    });
  }

  /** Closes sockets older than `maxAgeMs` now, and later ones when they reach it; `null`: no limit. */
  setMaxAge(maxAgeMs: number | null): void {
    this.#maxAgeMs = maxAgeMs;
    for (const connection of this.#connections) this.#scheduleAgeLimit(connection);
  }

  get maxAgeMs(): number | null {
    return this.#maxAgeMs;
  }

  get openConnections(): number {
    return this.#connections.size;
  }

  webSockets(): WebSocketRecord[] {
    return [...this.#connections].map((connection) => connection.record());
  }

  /**
   * Ends the sockets opened with an assertion of this task (or, without `taskId`, of any task of
   * this agent): SPEC §5 — revocation ends open sockets, not only new handshakes. The close reason
   * is the code a new handshake would get, so a client heals it like that refusal.
   */
  closeRevoked(reason: 'task_invalid' | 'unknown_agent', agentRuntimeId: string, taskId?: string): number {
    let closed = 0;
    for (const connection of this.#connections) {
      if (!connection.actsFor(agentRuntimeId, taskId)) continue;
      connection.close(CREDENTIALS_REVOKED_CLOSE_CODE, reason);
      closed += 1;
    }
    return closed;
  }

  /** Sends every socket a 1001 close frame, waits briefly for the replies, destroys the rest. */
  async closeAll(): Promise<void> {
    const closed = [...this.#connections].map(
      (connection) =>
        new Promise<void>((resolve) => {
          connection.socket.once('close', () => {
            resolve();
          });
          connection.close(WS_CLOSE_SHUTDOWN, 'server shutting down');
        }),
    );
    await Promise.race([Promise.all(closed), sleep(shutdownGraceMs)]);
    for (const connection of this.#connections) connection.socket.terminate();
    this.#server.close();
  }

  async #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const context = this.#context;
    const pathname = new URL(request.url ?? '/', 'http://backend').pathname;
    if (pathname !== this.#responsesPath) {
      const notFound = this.#notFound(pathname);
      const body = JSON.stringify(errorBody(notFound.errorCode, notFound.message, notFound.details));
      writeRawResponse(socket, 404, body, { 'content-type': 'application/json' });
      return;
    }
    if (this.#connections.size >= context.options.maxWebSocketConnections) {
      const body = JSON.stringify(
        errorBody('too_many_connections', 'the backend has as many WebSockets open as it allows'),
      );
      writeRawResponse(socket, 503, body, { 'content-type': 'application/json', 'retry-after': '1' });
      return;
    }
    const misbehaviour: Misbehaviour = { garbage: false, failResponses: false };
    const fault = context.faults.take('responses_ws');
    if (fault !== undefined) {
      context.counters.faultApplied('responses_ws');
      switch (fault.kind) {
        case 'status': {
          const { body, headers } = statusFaultAnswer(fault);
          writeRawResponse(socket, fault.status, body, headers);
          return;
        }
        case 'delay':
          await sleep(fault.delayMs, undefined, { signal: context.closing });
          break;
        case 'hang':
          return;
        case 'reset':
          socket.destroy();
          return;
        case 'garbage':
          misbehaviour.garbage = true;
          break;
        case 'response_failed':
          misbehaviour.failResponses = true;
          break;
        default:
          break; // the other kinds are refused for this endpoint when queued
      }
    }
    const authorization = await admitDownstream(request, 'ws', context);
    if (!authorization.ok) {
      const body = JSON.stringify(errorBody(authorization.code, authorization.message));
      writeRawResponse(socket, 401, body, { 'content-type': 'application/json' });
      return;
    }
    if (socket.destroyed) return;
    this.#server.handleUpgrade(request, socket, head, (webSocket) => {
      this.#accept(webSocket, authorization.caller, misbehaviour);
    });
  }

  #accept(socket: WebSocket, caller: DownstreamCaller, misbehaviour: Misbehaviour): void {
    const connection = new ResponsesSocket(socket, caller, misbehaviour, this.#context);
    this.#connections.add(connection);
    this.#scheduleAgeLimit(connection);
    socket.on('close', () => {
      this.#connections.delete(connection);
    });
  }

  #scheduleAgeLimit(connection: Connection): void {
    clearTimeout(connection.ageTimer);
    connection.ageTimer = undefined;
    if (this.#maxAgeMs === null) return;
    const remainingMs = Math.max(0, connection.openedAtMs + this.#maxAgeMs - performance.now());
    connection.ageTimer = setTimeout(() => {
      connection.socket.close(WS_CLOSE_MAX_AGE, WS_CLOSE_MAX_AGE_REASON);
    }, remainingMs);
    connection.ageTimer.unref();
  }
}
