import { silentLogger, type AgentThread, type Logger, type TurnAuth } from '@agent-identity/core';
import type { SessionAgentTask } from '@agent-identity/protocol';
import { ApiBridgeError } from './api-bridge-error.js';
import { applyAuthHeaders } from './apply-auth-headers.js';
import { beginTurnAuth } from './auth-header-provider.js';
import { markUnrecovered } from './recovery-errors.js';
import { isReplayableBody, requestBody } from './replayable-body.js';
import { isTaskInvalid } from './task-invalid-response.js';
import type { TaskRecoveryEvent, TaskRecoveryListener } from './task-recovery-event.js';

/** `fetch`'s signature: what `createAgentFetch` takes and returns. */
export type AgentFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link createAgentFetch} (README: *createAgentFetch*). */
export interface AgentFetchOptions {
  /** What sends. Default: `globalThis.fetch`, looked up per call. */
  readonly fetch?: AgentFetch;
  /**
   * The turn's auth context (`thread.beginTurn()`): requests use it, and after a task-invalid
   * recovery the turn that replaced it. Default: every request begins from `thread.beginTurn()`.
   */
  readonly turn?: TurnAuth;
  /** Told once per task-invalid recovery. Default: ignore. A throwing listener is logged. */
  readonly onRecovery?: TaskRecoveryListener;
  /** Default: silent. Gets thread and task ids, never a header value or token. */
  readonly logger?: Logger;
}

/**
 * `fetch` with the thread's downstream auth (SPEC §3.6, §4.7): a fresh `Authorization` per request
 * and, when the service refuses the task as invalid, one recovery (README: *Task-invalid
 * recovery, step by step*). Responses come back untouched, so SSE streams as it arrives.
 */
export function createAgentFetch(thread: AgentThread, options: AgentFetchOptions = {}): AgentFetch {
  const agentFetch = new TaskRecoveringFetch(thread, options);
  return (input, init) => agentFetch.fetch(input, init);
}

const globalFetch: AgentFetch = (input, init) => globalThis.fetch(input, init);

class TaskRecoveringFetch {
  readonly #thread: AgentThread;
  readonly #fetch: AgentFetch;
  readonly #onRecovery: TaskRecoveryListener;
  readonly #logger: Logger;
  /** The pinned auth context (`turn` option, then its replacements); `undefined`: begin per request. */
  #turn: TurnAuth | undefined;

  constructor(thread: AgentThread, options: AgentFetchOptions) {
    this.#thread = thread;
    this.#fetch = options.fetch ?? globalFetch;
    this.#onRecovery = options.onRecovery ?? (() => undefined);
    this.#logger = options.logger ?? silentLogger;
    this.#turn = options.turn;
  }

  async fetch(input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
    const auth = await this.#authForRequest();
    const response = await this.#sendWithAuth(input, init, auth);
    const task = auth.task;
    if (task === undefined || !(await isTaskInvalid(response))) return response;
    return this.#recover(input, init, task, response);
  }

  /** Step 1. */
  #authForRequest(): Promise<TurnAuth> {
    return this.#turn === undefined ? beginTurnAuth(this.#thread) : Promise.resolve(this.#turn);
  }

  /** Step 2: fresh headers over the caller's (a `Request` input's own, unless `init` has some). */
  #sendWithAuth(input: string | URL | Request, init: RequestInit | undefined, auth: TurnAuth): Promise<Response> {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    applyAuthHeaders(headers, auth.headers());
    return this.#fetch(input, { ...init, headers });
  }

  /** Steps 4–7, for a request refused because `invalidTask` is no longer valid. */
  async #recover(
    input: string | URL | Request,
    init: RequestInit | undefined,
    invalidTask: SessionAgentTask,
    refused: Response,
  ): Promise<Response> {
    await this.#thread.invalidateTask(invalidTask);
    let auth: TurnAuth;
    try {
      auth = await this.#reregister();
    } catch (error) {
      if (!ApiBridgeError.isInstance(error)) throw error;
      return this.#notRetried(refused, invalidTask, error);
    }
    return this.#retryIfReplayable(input, init, invalidTask, refused, auth);
  }

  /** Step 5: core's registration lock makes concurrent recoveries of one thread register once. */
  async #reregister(): Promise<TurnAuth> {
    const auth = await beginTurnAuth(this.#thread);
    if (this.#turn !== undefined) this.#turn = auth;
    return auth;
  }

  /** Step 6. */
  async #retryIfReplayable(
    input: string | URL | Request,
    init: RequestInit | undefined,
    invalidTask: SessionAgentTask,
    refused: Response,
    auth: TurnAuth,
  ): Promise<Response> {
    if (!isReplayableBody(requestBody(input, init))) {
      const error = new ApiBridgeError(
        'TASK_INVALID_NOT_REPLAYABLE',
        `the downstream service refused task ${invalidTask.task_id} of thread ${this.#thread.id} as invalid; ` +
          'the thread re-registered, but the request body is a one-shot stream, so the request was not sent again ' +
          '(send it again with a fresh body)',
      );
      return this.#notRetried(refused, invalidTask, error);
    }
    // the refusal was read from a clone; release the caller's branch, which nobody will read
    refused.body?.cancel().catch(() => undefined);
    this.#logger.info('agent identity: the downstream service refused the task as invalid; re-registered, retrying once', {
      threadId: this.#thread.id,
      invalidTaskId: invalidTask.task_id,
      taskId: auth.task?.task_id,
    });
    this.#report({ outcome: 'retried', threadId: this.#thread.id, invalidTask, task: auth.task });
    const retried = await this.#sendWithAuth(input, init, auth);
    return this.#markRetryRefused(retried, auth);
  }

  /** Step 7: the retry's answer as it is; a second refusal is marked, never retried again. */
  async #markRetryRefused(retried: Response, auth: TurnAuth): Promise<Response> {
    const task = auth.task;
    if (task === undefined || !(await isTaskInvalid(retried))) return retried;
    const error = new ApiBridgeError(
      'TASK_INVALID_AFTER_RETRY',
      `the downstream service refused task ${task.task_id} of thread ${this.#thread.id} as invalid right after ` +
        'it was registered; not retrying again',
    );
    this.#logger.warn('agent identity: the retried request was refused as task_invalid again', {
      threadId: this.#thread.id,
      taskId: task.task_id,
    });
    markUnrecovered(retried, error);
    return retried;
  }

  #notRetried(refused: Response, invalidTask: SessionAgentTask, error: ApiBridgeError): Response {
    this.#logger.warn('agent identity: the downstream service refused the task as invalid; not retrying', {
      threadId: this.#thread.id,
      invalidTaskId: invalidTask.task_id,
      code: error.code,
    });
    markUnrecovered(refused, error);
    this.#report({ outcome: 'not_retried', threadId: this.#thread.id, invalidTask, task: this.#thread.task, error });
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
