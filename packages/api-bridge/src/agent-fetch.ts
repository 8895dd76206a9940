import {
  globalTimers,
  silentLogger,
  type AgentThread,
  type DownstreamRequest,
  type Logger,
  type RefusalDecision,
  type Timers,
  type TurnAuth,
} from '@agent-identity/core';
import { isReregistrationRefusal } from '@agent-identity/protocol';
import { checkAgentFetchArguments } from './agent-fetch-options.js';
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
  checkAgentFetchArguments(thread, options);
  const agentFetch = new RecoveringFetch(thread, options);
  return (input, init) => agentFetch.fetch(input, init);
}

const globalFetch: AgentFetch = (input, init) => globalThis.fetch(input, init);

/** A request as the caller gave it: a retry sends it again as it is. */
interface CallerRequest {
  readonly input: string | URL | Request;
  readonly init: RequestInit | undefined;
}

/** Core's decision, with the code it was made for. */
type Refused<Retry extends boolean> = Extract<RefusalDecision, { retry: Retry }> & {
  readonly refusal: string | undefined;
};

/**
 * Sends and resends; what to do after a refusal is core's `DownstreamRequest.afterRefusal` (SPEC
 * §4.7), so this adapter only reads the refusal, replays the body and reports.
 */
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
    const downstream = this.#thread.downstreamRequest(await this.#authForRequest());
    const response = await this.#send(request, downstream);
    if (!downstream.recoverable) return response;
    const refusal = await this.#refusalOf(request, response);
    const decision = await downstream.afterRefusal(refusal);
    if (decision.retry) return this.#retry(request, downstream, { ...decision, refusal }, response);
    if (decision.because === 'registration_failed') this.#registrationFailed(response, { ...decision, refusal });
    return response;
  }

  /** The auth context of a request: the pinned turn's, else a turn begun now. */
  #authForRequest(): Promise<TurnAuth> {
    return this.#turn === undefined ? beginTurnAuth(this.#thread) : Promise.resolve(this.#turn);
  }

  /** One send: fresh headers over the caller's (a `Request` input's own, unless `init` has some). */
  #send(request: CallerRequest, downstream: DownstreamRequest): Promise<Response> {
    const { input, init } = request;
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    applyAuthHeaders(headers, downstream.headers());
    return this.#fetch(input, { ...init, headers });
  }

  /** The refusal code, read within its bounds (size, deadline, the request's signal). */
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

  /** Core said send once more: the request again (if its body replays) with headers signed now. */
  async #retry(
    request: CallerRequest,
    downstream: DownstreamRequest,
    decision: Refused<true>,
    refused: Response,
  ): Promise<Response> {
    if (decision.remedy === 'reregister' && this.#turn !== undefined) this.#turn = decision.auth;
    if (!isReplayableBody(requestBody(request.input, request.init))) {
      const error = new ApiBridgeError(
        'BODY_NOT_REPLAYABLE',
        `the downstream service refused ${refusedWhat(decision)} of thread ${this.#thread.id} (${String(decision.refusal)}), but the ` +
          'request body is a one-shot stream, so the request was not sent again (send it again with a fresh body)',
      );
      this.#logger.warn('agent identity: the refused request has a one-shot body; not retrying', {
        threadId: this.#thread.id,
        code: error.code,
      });
      markUnrecovered(refused, error);
      this.#reportTaskRecovery(decision, error);
      return refused;
    }
    this.#reportTaskRecovery(decision, undefined);
    // the refusal was read from a clone; release the caller's branch, which nobody will read
    refused.body?.cancel().catch(() => undefined);
    const retried = await this.#send(request, downstream);
    if (downstream.auth.task === undefined) return retried;
    const refusal = await this.#refusalOf(request, retried);
    const again = await downstream.afterRefusal(refusal);
    if (!again.retry && again.because === 'already_recovered') {
      const task = downstream.auth.task;
      markUnrecovered(
        retried,
        new ApiBridgeError(
          'REFUSED_AFTER_RETRY',
          `the downstream service refused the retried request of task ${task.taskId} of thread ${this.#thread.id} ` +
            `(${String(refusal)}); not retrying again`,
        ),
      );
    }
    return retried;
  }

  #registrationFailed(refused: Response, decision: Refused<false>): void {
    const { event, invalidTask, refusal } = decision;
    if (event === undefined || invalidTask === undefined || !isReregistrationRefusal(refusal)) return;
    const error = new ApiBridgeError('TASK_REGISTRATION_FAILED', event.message, { cause: event.cause });
    markUnrecovered(refused, error);
    this.#report({
      outcome: 'not_retried',
      threadId: this.#thread.id,
      refusal,
      invalidTask,
      task: this.#thread.task,
      error,
    });
  }

  /** `onRecovery` hears of task recoveries only (a corrected clock is no task recovery). */
  #reportTaskRecovery(decision: Refused<true>, error: ApiBridgeError | undefined): void {
    const { invalidTask, refusal } = decision;
    if (invalidTask === undefined || !isReregistrationRefusal(refusal)) return;
    const fields = {
      threadId: this.#thread.id,
      refusal,
      invalidTask,
      task: decision.auth.task,
    };
    this.#report(
      error === undefined ? { outcome: 'retried', ...fields } : { outcome: 'not_retried', ...fields, error },
    );
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

function refusedWhat(decision: Refused<true>): string {
  return decision.invalidTask === undefined ? 'the assertion timestamp' : `task ${decision.invalidTask.taskId}`;
}
