import { WebSocket } from 'ws';
import type { TurnAuth } from '@agent-identity/core';
import { SocketLease } from './socket-lease.js';

/** Close code and reasons of the sockets the pool closes itself. */
const NORMAL_CLOSURE = 1000;
export type RetireReason = 'rotated' | 'auth context changed' | 'pool closed';

/**
 * A socket the pool dialed, with its leases. Retiring it stops it from being handed out; it
 * closes once no lease holds it (README: the rules, step by step).
 */
export class PooledConnection {
  readonly socket: WebSocket;
  readonly auth: TurnAuth;
  /** When its dial started, epoch ms: its age is never under-counted. */
  readonly dialStartedAtMs: number;
  #leases = 0;
  #retired: RetireReason | undefined;

  constructor(socket: WebSocket, auth: TurnAuth, dialStartedAtMs: number) {
    this.socket = socket;
    this.auth = auth;
    this.dialStartedAtMs = dialStartedAtMs;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  get retired(): boolean {
    return this.#retired !== undefined;
  }

  lease(): SocketLease {
    this.#leases += 1;
    return new SocketLease(this.socket, this.auth, () => {
      this.#leases -= 1;
      this.#closeIfDone();
    });
  }

  /** No more leases; closes now if idle, else at the last release. Idempotent. */
  retire(reason: RetireReason): void {
    this.#retired ??= reason;
    this.#closeIfDone();
  }

  /** Closes now, leased or not (the pool is shutting down). */
  close(): void {
    this.#retired ??= 'pool closed';
    this.socket.close(NORMAL_CLOSURE, this.#retired);
  }

  #closeIfDone(): void {
    if (this.#retired !== undefined && this.#leases === 0) this.socket.close(NORMAL_CLOSURE, this.#retired);
  }
}
