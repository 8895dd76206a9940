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
import { registrationFailure } from './auth-header-provider.js';
import { DEFAULT_REFUSAL_READ_TIMEOUT_MS, refusalCodeOf } from './downstream-refusal.js';
import { ownAnswer } from './own-answer.js';
import { markUnrecovered } from './recovery-errors.js';
import { isReplayableBody, requestBody } from './replayable-body.js';
import type { TaskRecoveryEvent, TaskRecoveryListener } from './task-recovery-event.js';
import { AGENT_THREAD_ID_HEADER, requestHeaders, type CallerRequest, type ThreadChooser } from './thread-choice.js';

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
 * Given a {@link ThreadChooser} instead of a thread, each request runs on the thread it chooses
 * (one SDK client for many threads); `turn` is then per thread, so not an option.
 */
export function createAgentFetch(thread: AgentThread, options?: AgentFetchOptions): AgentFetch;
export function createAgentFetch(threads: ThreadChooser, options?: Omit<AgentFetchOptions, 'turn'>): AgentFetch;
export function createAgentFetch(thread: AgentThread | ThreadChooser, options: AgentFetchOptions = {}): AgentFetch {
  checkAgentFetchArguments(thread, options);
  const chooser: ThreadChooser = typeof thread === 'function' ? thread : () => thread;
  const agentFetch = new RecoveringFetch(chooser, options);
  return (input, init) => agentFetch.fetch(input, init);
}

const globalFetch: AgentFetch = (input, init) => globalThis.fetch(input, init);

/** Core's decision, with the code it was made for. */
type Refused<Retry extends boolean> = Extract<RefusalDecision, { retry: Retry }> & {
  readonly refusal: string | undefined;
};

/**
 * Sends and resends; what to do after a refusal is core's `DownstreamRequest.afterRefusal` (SPEC
 * §4.7), so this adapter only reads the refusal, replays the body and reports.
 */
class RecoveringFetch {
  readonly #threadOf: ThreadChooser;
  readonly #fetch: AgentFetch;
  readonly #onRecovery: TaskRecoveryListener;
  readonly #logger: Logger;
  readonly #refusalReadTimeoutMs: number;
  readonly #timers: Timers;
  /** The pinned auth context (`turn` option, then its replacements); `undefined`: begin per request. */
  #turn: TurnAuth | undefined;

  constructor(threadOf: ThreadChooser, options: AgentFetchOptions) {
    this.#threadOf = threadOf;
    this.#fetch = options.fetch ?? globalFetch;
    this.#onRecovery = options.onRecovery ?? (() => undefined);
    this.#logger = options.logger ?? silentLogger;
    this.#refusalReadTimeoutMs = options.refusalReadTimeoutMs ?? DEFAULT_REFUSAL_READ_TIMEOUT_MS;
    this.#timers = options.timers ?? globalTimers;
    this.#turn = options.turn;
  }

  async fetch(input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
    const request: CallerRequest = { input, init };
    const signal = signalOf(request);
    signal?.throwIfAborted();
    const thread = await this.#threadOf(request);
    if (thread === undefined) {
      return ownAnswer(
        400,
        new ApiBridgeError('THREAD_NOT_CHOSEN', 'no agent thread was chosen for this request; it was not sent'),
      );
    }
    const auth = await this.#authForRequest(thread, signal);
    if (auth instanceof ApiBridgeError) return ownAnswer(401, auth);
    if (auth.scheme === 'none') {
      const error = new ApiBridgeError(
        'NOT_LOGGED_IN',
        `nobody is logged in, so thread ${thread.id} has no credential; the request was not sent (log in, then try again)`,
      );
      return ownAnswer(401, error);
    }
    const downstream = thread.downstreamRequest(auth);
    const response = await this.#send(request, downstream);
    if (!downstream.recoverable) return response;
    const refusal = await this.#refusalOf(request, response);
    const decision = await afterRefusal(downstream, refusal, response, signal);
    if (decision.retry) return this.#retry(thread, request, downstream, { ...decision, refusal }, response);
    if (decision.because === 'registration_failed')
      this.#registrationFailed(thread, response, { ...decision, refusal });
    return response;
  }

  /** The auth context of a request: the pinned turn's, else a turn begun now (its failure as our error). */
  async #authForRequest(thread: AgentThread, signal: AbortSignal | undefined): Promise<TurnAuth | ApiBridgeError> {
    if (this.#turn !== undefined) return this.#turn;
    const turn = await thread.beginTurn({ signal });
    return turn.ok ? turn.auth : registrationFailure(turn.event);
  }

  /**
   * One send: fresh headers over the caller's (a `Request` input's own, unless `init` has some),
   * without our thread-choice header, which is for this wrapper only.
   */
  #send(request: CallerRequest, downstream: DownstreamRequest): Promise<Response> {
    const headers = requestHeaders(request);
    headers.delete(AGENT_THREAD_ID_HEADER);
    applyAuthHeaders(headers, downstream.headers());
    return this.#fetch(request.input, { ...request.init, headers });
  }

  /** The refusal code, read within its bounds (size, deadline, the request's signal). */
  async #refusalOf(request: CallerRequest, response: Response): ReturnType<typeof refusalCodeOf> {
    try {
      return await refusalCodeOf(response, {
        timeoutMs: this.#refusalReadTimeoutMs,
        timers: this.#timers,
        signal: signalOf(request),
      });
    } catch (error) {
      releaseBody(response);
      throw error;
    }
  }

  /** Core said send once more: the request again (if its body replays) with headers signed now. */
  async #retry(
    thread: AgentThread,
    request: CallerRequest,
    downstream: DownstreamRequest,
    decision: Refused<true>,
    refused: Response,
  ): Promise<Response> {
    if (decision.remedy === 'reregister' && this.#turn !== undefined) this.#turn = decision.auth;
    if (!isReplayableBody(requestBody(request.input, request.init))) {
      const error = new ApiBridgeError(
        'BODY_NOT_REPLAYABLE',
        `the downstream service refused ${refusedWhat(decision)} of thread ${thread.id} (${String(decision.refusal)}), but the ` +
          'request body is a one-shot stream, so the request was not sent again (send it again with a fresh body)',
      );
      this.#logger.warn('agent identity: the refused request has a one-shot body; not retrying', {
        threadId: thread.id,
        code: error.code,
      });
      markUnrecovered(refused, error);
      this.#reportTaskRecovery(thread, decision, error);
      return refused;
    }
    this.#reportTaskRecovery(thread, decision, undefined);
    // the refusal was read from a clone; release the caller's branch, which nobody will read
    releaseBody(refused);
    const retried = await this.#send(request, downstream);
    if (downstream.auth.task === undefined) return retried;
    const refusal = await this.#refusalOf(request, retried);
    const again = await afterRefusal(downstream, refusal, retried, signalOf(request));
    if (!again.retry && again.because === 'already_recovered') {
      const task = downstream.auth.task;
      markUnrecovered(
        retried,
        new ApiBridgeError(
          'REFUSED_AFTER_RETRY',
          `the downstream service refused the retried request of task ${task.taskId} of thread ${thread.id} ` +
            `(${String(refusal)}); not retrying again`,
        ),
      );
    }
    return retried;
  }

  #registrationFailed(thread: AgentThread, refused: Response, decision: Refused<false>): void {
    const { event, invalidTask, refusal } = decision;
    if (event === undefined || invalidTask === undefined || !isReregistrationRefusal(refusal)) return;
    const error = registrationFailure(event);
    markUnrecovered(refused, error);
    this.#report(thread, {
      outcome: 'not_retried',
      threadId: thread.id,
      refusal,
      invalidTask,
      task: thread.task,
      error,
    });
  }

  /** `onRecovery` hears of task recoveries only (a corrected clock is no task recovery). */
  #reportTaskRecovery(thread: AgentThread, decision: Refused<true>, error: ApiBridgeError | undefined): void {
    const { invalidTask, refusal } = decision;
    if (invalidTask === undefined || !isReregistrationRefusal(refusal)) return;
    const fields = { threadId: thread.id, refusal, invalidTask, task: decision.auth.task };
    this.#report(
      thread,
      error === undefined ? { outcome: 'retried', ...fields } : { outcome: 'not_retried', ...fields, error },
    );
  }

  #report(thread: AgentThread, event: TaskRecoveryEvent): void {
    try {
      this.#onRecovery(event);
    } catch (error) {
      this.#logger.error('agent identity: the onRecovery listener threw', {
        threadId: thread.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/**
 * Core's decision after `refused`; when the request's signal aborts meanwhile (a re-registration
 * that hangs), rejects at once with its reason, as `fetch` would.
 */
async function afterRefusal(
  downstream: DownstreamRequest,
  refusal: string | undefined,
  refused: Response,
  signal: AbortSignal | undefined,
): Promise<RefusalDecision> {
  try {
    return await downstream.afterRefusal(refusal, { signal });
  } catch (error) {
    releaseBody(refused);
    throw error;
  }
}

/** The request's `AbortSignal`: `init.signal`, else a `Request` input's. */
function signalOf({ input, init }: CallerRequest): AbortSignal | undefined {
  return init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
}

/** Cancels the body of a response nobody will get or read (not awaited: a clone's branch settles late). */
function releaseBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function refusedWhat(decision: Refused<true>): string {
  return decision.invalidTask === undefined ? 'the assertion timestamp' : `task ${decision.invalidTask.taskId}`;
}
