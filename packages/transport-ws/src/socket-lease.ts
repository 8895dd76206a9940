import type { WebSocket } from 'ws';
import type { TurnAuth } from '@agent-identity/core';

/**
 * One checkout of a pooled socket. Release it when the turn is done (or let `using` do it): a
 * socket the pool has retired meanwhile (rotation, task change) closes at its last release.
 */
export class SocketLease implements Disposable {
  /** The open socket. One response at a time on it (see `streamResponse`). */
  readonly socket: WebSocket;
  /**
   * The auth context the socket was opened with. After a task recovery (a handshake refused with a
   * code a new task heals) it is the new turn's auth (a new task): the turn's HTTP calls should use
   * it too.
   */
  readonly auth: TurnAuth;
  #release: (() => void) | undefined;

  /** @internal Leases are made by `AgentSocketPool.checkout`. */
  constructor(socket: WebSocket, auth: TurnAuth, release: () => void) {
    this.socket = socket;
    this.auth = auth;
    this.#release = release;
  }

  /** Done with the socket for now; later calls do nothing. */
  release(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
