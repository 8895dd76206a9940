import {
  globalTimers,
  silentLogger,
  type AgentThread,
  type Logger,
  type ServerExchange,
  type Timers,
  type TurnAuth,
} from '@agent-identity/core';
import {
  downstreamRefusalRemedy,
  isClockSkewRefusal,
  isReregistrationRefusal,
  type ClockSkewRefusalCode,
  type ReregistrationRefusalCode,
  type SessionAgentTask,
} from '@agent-identity/protocol';
import { ApiBridgeError } from './api-bridge-error.js';
import { applyAuthHeaders } from './apply-auth-headers.js';
import { beginTurnAuth } from './auth-header-provider.js';
import { DEFAULT_REFUSAL_READ_TIMEOUT_MS, refusalCodeOf } from './downstream-refusal.js';
import { markUnrecovered } from './recovery-errors.js';
import { isReplayableBody, requestBody } from './replayable-body.js';
import type { TaskRecoveryEvent, TaskRecoveryListener } from './task-recovery-event.js';

/** `fetch`'s signature: what `createAgentFetch` takes and returns. */
export type AgentFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link createAgentFetch} (README: *createAgentFetch*). */
export interface AgentFetchOptions {
  /** What sends. Default: `globalThis.fetch`, looked up per call. */
  readonly fetch?: AgentFetch;
  /**
   * The turn's auth context (`thread.beginTurn()`): requests use it, and after a task recovery
   * the turn that replaced it. Default: every request begins from `thread.beginTurn()`.
   */
  readonly turn?: TurnAuth;
  /** Told once per task recovery. Default: ignore. A throwing listener is logged. */
  readonly onRecovery?: TaskRecoveryListener;
  /** Default: silent. Gets thread and task ids, never a header value or token. */
  readonly logger?: Logger;
  /**
   * How long the body of a 401 may take to arrive before it counts as no refusal (the 401 is
   * returned as it is). Default 5 000. The body is also capped at 16 KiB, and the request's
   * `signal` aborts the read.
   */
  readonly refusalReadTimeoutMs?: number;
  /** The timers the refusal read's deadline uses. Default: the global ones. */
  readonly timers?: Timers;
}

/**
 * `fetch` with the thread's downstream auth (SPEC §3.6, §4.7): a fresh `Authorization` per request
 * and, when the service refuses it with a code a new task or a corrected clock heals, one recovery
 * (README: *Recovery, step by step*). Responses come back untouched, so SSE streams as it arrives.
 */
export function createAgentFetch(thread: AgentThread, options: AgentFetchOptions = {}): AgentFetch {
  const agentFetch = new RecoveringFetch(thread, options);
  return (input, init) => agentFetch.fetch(input, init);
}

const globalFetch: AgentFetch = (input, init) => globalThis.fetch(input, init);

/** A request as the caller gave it: a retry sends it again as it is. */
interface CallerRequest {
  readonly input: string | URL | Request;
  readonly init: RequestInit | undefined;
}

/** One send: the answer, and the exchange that timed it (only a request with an assertion has one). */
interface Sent {
  readonly response: Response;
  readonly exchange: ServerExchange | undefined;
}

class RecoveringFetch {
  readonly #thread: AgentThread;
  readonly #fetch: AgentFetch;
  readonly #onRecovery: TaskRecoveryListener;
  readonly #logger: Logger;
  readonly #refusalReadTimeoutMs: number;
  readonly #timers: Timers;
  /** The pinned auth context (`turn` option, then its replacements); `undefined`: begin per request. */
  #turn: TurnAuth | undefined;

  constructor(thread: AgentThread, options: AgentFetchOptions) {
    this.#thread = thread;
    this.#fetch = options.fetch ?? globalFetch;
    this.#onRecovery = options.onRecovery ?? (() => undefined);
    this.#logger = options.logger ?? silentLogger;
    this.#refusalReadTimeoutMs = options.refusalReadTimeoutMs ?? DEFAULT_REFUSAL_READ_TIMEOUT_MS;
    this.#timers = options.timers ?? globalTimers;
    this.#turn = options.turn;
  }

  async fetch(input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
    const request: CallerRequest = { input, init };
    const auth = await this.#authForRequest();
    const { response, exchange } = await this.#sendWithAuth(request, auth);
    const task = auth.task;
    if (task === undefined) return response;
    const refusal = await this.#refusalOf(request, response);
    if (isReregistrationRefusal(refusal)) return this.#recoverTask(request, task, refusal, response);
    if (isClockSkewRefusal(refusal) && exchange?.clockCorrected === true) {
      return this.#retryOnCorrectedClock(request, auth, refusal, response);
    }
    return response;
  }

  /** Step 3: the refusal code, read within its bounds (size, deadline, the request's signal). */
  async #refusalOf(request: CallerRequest, response: Response): ReturnType<typeof refusalCodeOf> {
    const { input, init } = request;
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    try {
      return await refusalCodeOf(response, { timeoutMs: this.#refusalReadTimeoutMs, timers: this.#timers, signal });
    } catch (error) {
      // aborted: the caller never gets this response, so nobody else will release its body
      response.body?.cancel().catch(() => undefined);
      throw error;
    }
  }

  /** Step 1. */
  #authForRequest(): Promise<TurnAuth> {
    return this.#turn === undefined ? beginTurnAuth(this.#thread) : Promise.resolve(this.#turn);
  }

  /**
   * Step 2: fresh headers over the caller's (a `Request` input's own, unless `init` has some). A
   * request with an assertion begins a `ServerExchange` (the clock offset it is signed with); its
   * answer's `Date` teaches nothing (SPEC §5: a downstream never moves the signing clock).
   */
  async #sendWithAuth(request: CallerRequest, auth: TurnAuth): Promise<Sent> {
    const { input, init } = request;
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const exchange = auth.scheme === 'assertion' ? this.#thread.beginServerExchange() : undefined;
    applyAuthHeaders(headers, auth.headers());
    const response = await this.#fetch(input, { ...init, headers });
    return { response, exchange };
  }

  /** Step 4 (then 6): a refusal that a new task heals. */
  async #recoverTask(
    request: CallerRequest,
    invalidTask: SessionAgentTask,
    refusal: ReregistrationRefusalCode,
    refused: Response,
  ): Promise<Response> {
    await this.#thread.invalidateTask(invalidTask);
    let auth: TurnAuth;
    try {
      auth = await this.#reregister();
    } catch (error) {
      if (!ApiBridgeError.isInstance(error)) throw error;
      return this.#taskNotRetried(refused, refusal, invalidTask, error);
    }
    if (!isReplayable(request)) {
      const error = notReplayable(
        `the downstream service refused task ${invalidTask.task_id} of thread ${this.#thread.id} (${refusal}); ` +
          'the thread re-registered',
      );
      return this.#taskNotRetried(refused, refusal, invalidTask, error);
    }
    this.#logger.info('agent identity: the downstream service refused the task; re-registered, retrying once', {
      threadId: this.#thread.id,
      refusal,
      invalidTaskId: invalidTask.task_id,
      taskId: auth.task?.task_id,
    });
    this.#report({ outcome: 'retried', threadId: this.#thread.id, refusal, invalidTask, task: auth.task });
    return this.#retry(request, auth, refused);
  }

  /** Step 4.2: core's registration lock makes concurrent recoveries of one thread register once. */
  async #reregister(): Promise<TurnAuth> {
    const auth = await beginTurnAuth(this.#thread);
    if (this.#turn !== undefined) this.#turn = auth;
    return auth;
  }

  /** Step 5 (then 6): a timestamp refused while the clock was off; the same auth signs anew. */
  #retryOnCorrectedClock(
    request: CallerRequest,
    auth: TurnAuth,
    refusal: ClockSkewRefusalCode,
    refused: Response,
  ): Promise<Response> | Response {
    const fields = { threadId: this.#thread.id, refusal };
    if (!isReplayable(request)) {
      const error = notReplayable(
        `the downstream service refused the timestamp of thread ${this.#thread.id}'s assertion (${refusal}); ` +
          'the clock is corrected',
      );
      this.#logger.warn('agent identity: the downstream service refused the assertion timestamp; not retrying', {
        ...fields,
        code: error.code,
      });
      markUnrecovered(refused, error);
      return refused;
    }
    this.#logger.info(
      'agent identity: the downstream service refused the assertion timestamp; retrying once on the corrected clock',
      fields,
    );
    return this.#retry(request, auth, refused);
  }

  /** Step 6: the request once more (its body is replayable), with headers signed now. */
  async #retry(request: CallerRequest, auth: TurnAuth, refused: Response): Promise<Response> {
    // the refusal was read from a clone; release the caller's branch, which nobody will read
    refused.body?.cancel().catch(() => undefined);
    const { response } = await this.#sendWithAuth(request, auth);
    return this.#markRetryRefused(request, response, auth);
  }

  /** Step 7: the retry's answer as it is; a second healable refusal is marked, never retried again. */
  async #markRetryRefused(request: CallerRequest, retried: Response, auth: TurnAuth): Promise<Response> {
    const task = auth.task;
    if (task === undefined) return retried;
    const refusal = await this.#refusalOf(request, retried);
    if (downstreamRefusalRemedy(refusal) === 'none') return retried;
    const error = new ApiBridgeError(
      'REFUSED_AFTER_RETRY',
      `the downstream service refused the retried request of task ${task.task_id} of thread ${this.#thread.id} ` +
        `(${String(refusal)}); not retrying again`,
    );
    this.#logger.warn('agent identity: the retried request was refused again; not retrying again', {
      threadId: this.#thread.id,
      taskId: task.task_id,
      refusal,
    });
    markUnrecovered(retried, error);
    return retried;
  }

  #taskNotRetried(
    refused: Response,
    refusal: ReregistrationRefusalCode,
    invalidTask: SessionAgentTask,
    error: ApiBridgeError,
  ): Response {
    this.#logger.warn('agent identity: the downstream service refused the task; not retrying', {
      threadId: this.#thread.id,
      refusal,
      invalidTaskId: invalidTask.task_id,
      code: error.code,
    });
    markUnrecovered(refused, error);
    this.#report({
      outcome: 'not_retried',
      threadId: this.#thread.id,
      refusal,
      invalidTask,
      task: this.#thread.task,
      error,
    });
    return refused;
  }

  #report(event: TaskRecoveryEvent): void {
    try {
      this.#onRecovery(event);
    } catch (error) {
      this.#logger.error('agent identity: the onRecovery listener threw', {
        threadId: this.#thread.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function isReplayable(request: CallerRequest): boolean {
  return isReplayableBody(requestBody(request.input, request.init));
}

function notReplayable(what: string): ApiBridgeError {
  return new ApiBridgeError(
    'BODY_NOT_REPLAYABLE',
    `${what}, but the request body is a one-shot stream, so the request was not sent again (send it again with a fresh body)`,
  );
}
