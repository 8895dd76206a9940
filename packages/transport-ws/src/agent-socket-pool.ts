import type { WebSocket } from 'ws';
import {
  agentTaskEquals,
  untilAborted,
  type AbortOptions,
  type AgentTask,
  type AgentThread,
  type DownstreamRequest,
  type TurnAuth,
} from '@agent-identity/core';
import { CREDENTIALS_REVOKED_CLOSE_CODE, isReregistrationRefusal } from '@agent-identity/protocol';
import { PoolTelemetry, type DialCause } from './pool-telemetry.js';
import { dialAgentSocket } from './dial-agent-socket.js';
import { resolvePoolOptions, type AgentSocketPoolOptions, type ResolvedPoolOptions } from './pool-options.js';
import { PooledConnection, type RetireReason } from './pooled-connection.js';
import type { SocketLease } from './socket-lease.js';
import { displayUrl, TransportWsError } from './transport-ws-error.js';

/** What the pool needs from its thread (core's `AgentThread` has it all). */
export type SocketPoolThread = Pick<AgentThread, 'task' | 'onTaskChange' | 'invalidateTask' | 'downstreamRequest'>;

/** One auth context's socket: a dial in flight, then (once pooled) its connection. */
interface Slot {
  readonly ready: Promise<PooledConnection>;
  connection: PooledConnection | undefined;
  rotationTimer: unknown;
}

/**
 * The WebSocket pool of one conversation thread (README: the rules, step by step): one socket per auth
 * context, handed out only for that context and only while young enough, dropped when the thread's
 * task changes, and recovered once when the server refuses the handshake for a reason a new task
 * or a corrected clock heals.
 */
export class AgentSocketPool {
  readonly #thread: SocketPoolThread;
  readonly #options: ResolvedPoolOptions;
  readonly #shownUrl: string;
  /** By `contextKey`: a dial in flight under the key it was asked for, a pooled socket under its own. */
  readonly #slots = new Map<string, Slot>();
  /** Every socket dialed and not yet closed, pooled or not: what `close()` closes. */
  readonly #connections = new Set<PooledConnection>();
  readonly #dials = new Set<Promise<unknown>>();
  readonly #unsubscribe: () => void;
  readonly #telemetry: PoolTelemetry;
  /** Contexts whose socket was retired for its age and not dialed again yet: their next dial is a rotation. */
  readonly #rotatedContexts = new Set<string>();
  #closed = false;

  constructor(thread: SocketPoolThread, options: AgentSocketPoolOptions) {
    this.#thread = thread;
    this.#options = resolvePoolOptions(options);
    this.#shownUrl = displayUrl(this.#options.url);
    this.#telemetry = new PoolTelemetry(this.#options.telemetry);
    this.#unsubscribe = thread.onTaskChange((task) => {
      this.#retireStale(task);
    });
  }

  /** How many sockets are pooled: open, of a current context, not retiring. */
  get size(): number {
    let size = 0;
    for (const slot of this.#slots.values()) {
      if (slot.connection?.isOpen === true && !slot.connection.retired) size += 1;
    }
    return size;
  }

  /**
   * A lease on an open socket for `auth`: the pooled one of its context if it may still be handed
   * out, else a new one; concurrent checkouts of one context share one dial. A
   * handshake refused with a code a new task heals recovers once; one refused for its
   * timestamp while the clock was off is dialed once more on the corrected clock. Aborting
   * `signal` rejects at once with its reason (`AbortError`); the dial goes on for the checkouts
   * that share it, and pools its socket for the next one.
   */
  async checkout(auth: TurnAuth, options: AbortOptions = {}): Promise<SocketLease> {
    const { signal } = options;
    signal?.throwIfAborted();
    this.#assertOpen();
    if (this.#isCurrent(auth)) this.#retireOtherContexts(auth.contextKey);
    const pooled = this.#slots.get(auth.contextKey);
    if (pooled?.connection !== undefined) {
      if (this.#canHandOut(pooled.connection)) return pooled.connection.lease();
      this.#unpool(pooled, 'rotated');
    }
    const slot = this.#slots.get(auth.contextKey) ?? this.#startDial(auth);
    const connection = await untilAborted(slot.ready, signal);
    return connection.lease();
  }

  /** Closes every socket, leased or not, once the dials in flight have settled. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    for (const slot of this.#slots.values()) this.#options.timers.clearTimeout(slot.rotationTimer);
    this.#slots.clear();
    await Promise.allSettled([...this.#dials]);
    await Promise.all([...this.#connections].map((connection) => closed(connection)));
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new TransportWsError('POOL_CLOSED', 'the WebSocket pool is closed', { url: this.#shownUrl });
  }

  /** A context is current while its task is the thread's task (taskless: while the thread has none). */
  #isCurrent(auth: Pick<TurnAuth, 'task'>): boolean {
    return agentTaskEquals(auth.task, this.#thread.task);
  }

  /** Open, not retired, and young enough that a turn of `rotationMarginMs` ends before `maxAgeMs`. */
  #canHandOut(connection: PooledConnection): boolean {
    return connection.isOpen && !connection.retired && this.#options.now() < this.#handOutDeadline(connection);
  }

  #handOutDeadline(connection: PooledConnection): number {
    const { maxAgeMs, rotationMarginMs } = this.#options;
    return connection.dialStartedAtMs + maxAgeMs - rotationMarginMs;
  }

  #startDial(auth: TurnAuth): Slot {
    const requestedKey = auth.contextKey;
    const cause: DialCause = this.#rotatedContexts.delete(requestedKey) ? 'rotation' : 'new_context';
    const slot: Slot = {
      ready: this.#telemetry
        .dial(cause, (handshakes) => this.#connect(auth, handshakes))
        .then(
          (connection) => this.#settle(slot, requestedKey, connection),
          (error: unknown) => {
            if (this.#slots.get(requestedKey) === slot) this.#slots.delete(requestedKey);
            throw error;
          },
        ),
      connection: undefined,
      rotationTimer: undefined,
    };
    this.#slots.set(requestedKey, slot);
    const dial = slot.ready.catch(ignore);
    this.#dials.add(dial);
    void dial.finally(() => this.#dials.delete(dial));
    return slot;
  }

  /**
   * One dial, then once more when core's `afterRefusal` (SPEC §4.7) says a refused handshake is healed:
   * on a new task or on the corrected clock.
   */
  async #connect(auth: TurnAuth, handshakes: { count: number }): Promise<PooledConnection> {
    const downstream = this.#thread.downstreamRequest(auth);
    try {
      handshakes.count += 1;
      return await this.#dialOnce(downstream);
    } catch (error) {
      if (!downstream.recoverable) throw error;
      const decision = await downstream.afterRefusal(handshakeRefusalCode(error));
      handshakes.count += decision.retry ? 1 : 0;
      if (decision.retry) return this.#dialOnce(downstream);
      if (decision.because !== 'registration_failed' || decision.event === undefined) throw error;
      throw new TransportWsError('TASK_REGISTRATION_FAILED', decision.event.message, {
        url: this.#shownUrl,
        cause: decision.event.cause,
      });
    }
  }

  async #dialOnce(downstream: DownstreamRequest): Promise<PooledConnection> {
    const { url, headers, handshakeTimeoutMs, now } = this.#options;
    const dialStartedAtMs = now();
    const socket = await dialAgentSocket(url, downstream, { headers, handshakeTimeoutMs });
    const connection = new PooledConnection(socket, downstream.auth, dialStartedAtMs);
    this.#track(connection);
    return connection;
  }

  #track(connection: PooledConnection): void {
    this.#connections.add(connection);
    this.#telemetry.socketsOpen.add(1);
    const socket: WebSocket = connection.socket;
    socket.on('error', (error) => {
      this.#options.logger.debug('agent identity: pooled WebSocket failed', {
        url: this.#shownUrl,
        error: error.message,
      });
    });
    socket.once('close', (code, reason) => {
      this.#connections.delete(connection);
      this.#telemetry.socketsOpen.add(-1);
      for (const slot of this.#slots.values()) {
        if (slot.connection === connection) this.#unpool(slot, 'rotated');
      }
      this.#healRevokedClose(connection, code, reason.toString('utf8'));
    });
  }

  /**
   * SPEC §5: a server that revokes a task or an agent closes its open sockets with
   * `CREDENTIALS_REVOKED_CLOSE_CODE`, the reason being the refusal a new handshake would get. Such
   * a close is healed like that refusal: the thread's task is invalidated now, so the next
   * checkout's turn registers a new one (and core replaces an identity the backend forgot).
   */
  #healRevokedClose(connection: PooledConnection, code: number, reason: string): void {
    const task = connection.auth.task;
    if (code !== CREDENTIALS_REVOKED_CLOSE_CODE || task === undefined || !isReregistrationRefusal(reason)) return;
    const { logger } = this.#options;
    logger.info('agent identity: the server closed a WebSocket whose credentials it revoked; invalidating the task', {
      url: this.#shownUrl,
      refusal: reason,
      taskId: task.taskId,
    });
    this.#thread.invalidateTask(task).catch((error: unknown) => {
      logger.warn('agent identity: could not invalidate a revoked task', {
        url: this.#shownUrl,
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }

  /**
   * A dial completed: pool the socket under its own context (after a recovery that is not the
   * context asked for), unless that context is no longer current or already has a socket;
   * then it only serves the checkouts that waited for it.
   */
  #settle(slot: Slot, requestedKey: string, connection: PooledConnection): PooledConnection {
    if (this.#slots.get(requestedKey) === slot) this.#slots.delete(requestedKey);
    if (this.#closed) {
      connection.close();
      throw new TransportWsError('POOL_CLOSED', 'the WebSocket pool closed while dialing', { url: this.#shownUrl });
    }
    const key = connection.auth.contextKey;
    if (!connection.isOpen || !this.#isCurrent(connection.auth) || this.#slots.has(key)) {
      connection.retire('auth context changed');
      return connection;
    }
    slot.connection = connection;
    this.#slots.set(key, slot);
    this.#scheduleRotation(slot, connection);
    return connection;
  }

  /** An idle socket is retired at its hand-out deadline even if no checkout comes. */
  #scheduleRotation(slot: Slot, connection: PooledConnection): void {
    const { maxAgeMs, timers, now } = this.#options;
    if (!Number.isFinite(maxAgeMs)) return;
    const delayMs = Math.max(0, this.#handOutDeadline(connection) - now());
    slot.rotationTimer = timers.setTimeout(() => {
      slot.rotationTimer = undefined;
      if (slot.connection === connection) this.#unpool(slot, 'rotated');
    }, delayMs);
  }

  /** The thread's task changed; sockets of any other task (or of none) go. */
  #retireStale(task: AgentTask | undefined): void {
    for (const slot of [...this.#slots.values()]) {
      if (slot.connection !== undefined && !agentTaskEquals(slot.connection.auth.task, task)) {
        this.#unpool(slot, 'auth context changed');
      }
    }
  }

  /** A checkout for the thread's current context supersedes every other context. */
  #retireOtherContexts(contextKey: string): void {
    for (const [key, slot] of [...this.#slots]) {
      if (key !== contextKey && slot.connection !== undefined) this.#unpool(slot, 'auth context changed');
    }
  }

  #unpool(slot: Slot, reason: RetireReason): void {
    const connection = slot.connection;
    if (connection === undefined) return;
    const key = connection.auth.contextKey;
    if (this.#slots.get(key) === slot) this.#slots.delete(key);
    slot.connection = undefined;
    this.#options.timers.clearTimeout(slot.rotationTimer);
    slot.rotationTimer = undefined;
    if (connection.isOpen) {
      this.#options.logger.debug('agent identity: retiring a pooled WebSocket', { url: this.#shownUrl, reason });
      this.#telemetry.retirements.add(1, { reason });
      if (reason === 'rotated') this.#rotatedContexts.add(key);
    }
    connection.retire(reason);
  }
}

/** A pool for `thread` (README: *Client API*); throws `OPTIONS_INVALID` for bad options. */
export function createAgentSocketPool(thread: SocketPoolThread, options: AgentSocketPoolOptions): AgentSocketPool {
  return new AgentSocketPool(thread, options);
}

/** The server's reason for refusing a handshake with 401; `undefined` for any other failure. */
function handshakeRefusalCode(error: unknown): string | undefined {
  return TransportWsError.isInstance(error) && error.code === 'HANDSHAKE_REJECTED' && error.status === 401
    ? error.reason
    : undefined;
}

function closed(connection: PooledConnection): Promise<void> {
  return new Promise((resolve) => {
    if (connection.socket.readyState === connection.socket.CLOSED) {
      resolve();
      return;
    }
    connection.socket.once('close', () => {
      resolve();
    });
    connection.close();
  });
}

function ignore(): void {
  // dials are awaited by their checkouts; close() only waits for them to settle
}
