import { ResponseCreateMessage } from '@agent-identity/protocol';
import type { RawData, WebSocket } from 'ws';
import type { BackendContext } from './backend-context.js';
import type { DownstreamCaller } from './downstream-auth.js';
import { echoAnswerEvents } from './echo-answer.js';
import { GARBAGE_TEXT } from './garbage.js';
import { errorBody } from './json-response.js';

/** What a fault queued for the handshake does to every answer on that socket. */
export interface Misbehaviour {
  /** Every frame is not JSON (`garbage`). */
  garbage: boolean;
  /** Every answer ends in `response.failed` after its first delta (`response_failed`). */
  failResponses: boolean;
}

/** Close code and reason of a socket that sent nothing for `webSocketIdleTimeoutMs`. */
export const WS_CLOSE_IDLE = 4002;
export const WS_CLOSE_IDLE_REASON = 'idle timeout';
/** Close code (policy violation) of a socket that queued more requests than it lets us answer. */
export const WS_CLOSE_TOO_MANY_REQUESTS = 1008;

/**
 * Past this many bytes queued for a client, the next frame waits until the queue is flushed to
 * the kernel: a client that does not read stops costing memory (issue 11 item 3).
 */
export const WS_HIGH_WATER_BYTES = 256 * 1024;
/** Requests a socket may have waiting while one is answered; one more closes it (1008). */
const maxQueuedRequests = 8;

/** A socket as `admin.webSockets()` lists it. */
export interface WebSocketRecord {
  auth: DownstreamCaller['auth'];
  agentRuntimeId: string | null;
  taskId: string | null;
  /** Bytes queued for the client and not yet handed to the kernel. */
  bufferedBytes: number;
  /** Requests received and not answered yet (the one being answered included). */
  pendingRequests: number;
}

function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/**
 * One accepted `…/v1/responses` WebSocket (SPEC §3.8): answers its `response.create` frames one at
 * a time, in order, honouring backpressure — the socket is paused while an answer is sent, and a
 * frame waits for the client to read once {@link WS_HIGH_WATER_BYTES} are queued — and closes
 * itself after `idleTimeoutMs` without a frame.
 */
export class ResponsesSocket {
  readonly socket: WebSocket;
  readonly caller: DownstreamCaller;
  readonly openedAtMs = performance.now();
  ageTimer: NodeJS.Timeout | undefined;
  readonly #context: BackendContext;
  readonly #misbehaviour: Misbehaviour;
  readonly #idleTimeoutMs: number;
  readonly #queue: (string | undefined)[] = [];
  #idleTimer: NodeJS.Timeout | undefined;
  #answering = false;

  constructor(socket: WebSocket, caller: DownstreamCaller, misbehaviour: Misbehaviour, context: BackendContext) {
    this.socket = socket;
    this.caller = caller;
    this.#context = context;
    this.#misbehaviour = misbehaviour;
    this.#idleTimeoutMs = context.options.webSocketIdleTimeoutMs;
    socket.on('close', () => {
      this.#stopTimers();
      this.#queue.length = 0;
    });
    socket.on('error', () => {
      socket.terminate();
    });
    socket.on('message', (data, isBinary) => {
      this.#receive(isBinary ? undefined : frameText(data));
    });
    this.#armIdleTimer();
  }

  /** Whether it was opened with an assertion of this task (or, without `taskId`, of this agent). */
  actsFor(agentRuntimeId: string, taskId?: string): boolean {
    const { caller } = this;
    return (
      caller.auth === 'agent_assertion' &&
      caller.agentRuntimeId === agentRuntimeId &&
      (taskId === undefined || caller.taskId === taskId)
    );
  }

  record(): WebSocketRecord {
    const { caller } = this;
    return {
      auth: caller.auth,
      agentRuntimeId: caller.auth === 'agent_assertion' ? caller.agentRuntimeId : null,
      taskId: caller.auth === 'agent_assertion' ? caller.taskId : null,
      bufferedBytes: this.socket.bufferedAmount,
      pendingRequests: this.#queue.length + (this.#answering ? 1 : 0),
    };
  }

  close(code: number, reason: string): void {
    this.#stopTimers();
    this.socket.close(code, reason);
  }

  #receive(text: string | undefined): void {
    this.#armIdleTimer();
    if (this.#queue.length >= maxQueuedRequests) {
      this.close(WS_CLOSE_TOO_MANY_REQUESTS, 'too many requests waiting for an answer');
      return;
    }
    this.#queue.push(text);
    if (!this.#answering) void this.#answerQueued();
  }

  async #answerQueued(): Promise<void> {
    this.#answering = true;
    // Stop reading while answering: what the client sends meanwhile waits in the kernel, not here.
    this.socket.pause();
    try {
      while (this.#queue.length > 0) await this.#answer(this.#queue.shift());
    } finally {
      this.#answering = false;
      if (this.#isOpen()) this.socket.resume();
    }
  }

  /** One `response.create` frame → the event frames; anything else → one `error` frame. */
  async #answer(text: string | undefined): Promise<void> {
    let message: unknown;
    try {
      message = text === undefined ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    const parsed = ResponseCreateMessage.safeParse(message);
    if (!parsed.success) {
      const error = errorBody('invalid_request', 'expected a text frame {"type": "response.create", "model", "input"}');
      await this.#send(JSON.stringify({ type: 'error', ...error }));
      return;
    }
    const events = echoAnswerEvents(parsed.data, this.caller, this.#context, this.#misbehaviour.failResponses);
    for (const event of events) {
      if (!this.#isOpen()) return;
      await this.#send(this.#misbehaviour.garbage ? GARBAGE_TEXT : JSON.stringify(event));
    }
  }

  /** Sends a frame; past the high-water mark, resolves once it reached the kernel (or the socket closed). */
  #send(frame: string): Promise<void> {
    if (this.socket.bufferedAmount < WS_HIGH_WATER_BYTES) {
      this.socket.send(frame);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('close', done);
        resolve();
      };
      this.socket.once('close', done);
      this.socket.send(frame, done);
    });
  }

  #isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  #armIdleTimer(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      this.close(WS_CLOSE_IDLE, WS_CLOSE_IDLE_REASON);
    }, this.#idleTimeoutMs);
    this.#idleTimer.unref();
  }

  #stopTimers(): void {
    clearTimeout(this.#idleTimer);
    clearTimeout(this.ageTimer);
  }
}
