import { downstreamRefusalRemedy, type DownstreamRefusalRemedy } from '@agent-identity/protocol';
import type { BackendClock } from '../backend/backend-clock.js';
import type { AgentIdentityErrorEvent } from '../runtime/events.js';
import type { Logger } from '../runtime/logger.js';
import type { AbortOptions } from '../primitives/until-aborted.js';
import { CORE_SPANS, type RuntimeTelemetry } from '../runtime/runtime-telemetry.js';
import type { AgentTask } from './agent-task.js';
import type { TurnAuth, TurnAuthHeaders } from './turn-auth.js';

/** What a downstream request needs from its thread. */
export interface DownstreamRequestThread {
  readonly id: string;
  invalidateTask(task: AgentTask): Promise<boolean>;
  beginTurn(
    options?: AbortOptions,
  ): Promise<
    { readonly ok: true; readonly auth: TurnAuth } | { readonly ok: false; readonly event: AgentIdentityErrorEvent }
  >;
}

/** Why a refusal is not sent again. */
export type GiveUpReason =
  /** The code is not one a client heals (protocol's `downstreamRefusalRemedy` is `none`), or there is no code. */
  | 'not_healable'
  /** The request carried no assertion: there is no task to replace and no signed timestamp. */
  | 'no_task'
  /** A timestamp refusal, but the identity backend has not corrected the clock since signing. */
  | 'clock_not_corrected'
  /** The request was already sent again once: one recovery per request (SPEC §4.7). */
  | 'already_recovered'
  /** The task was invalidated but registering a new one failed (`event` says why). */
  | 'registration_failed';

/** What to do after a downstream refusal: send once more with `auth`, or give up. */
export type RefusalDecision =
  | {
      readonly retry: true;
      readonly remedy: Exclude<DownstreamRefusalRemedy, 'none'>;
      /** The auth to send with: a new task's after `reregister`, the same one after `correct_clock`. */
      readonly auth: TurnAuth;
      /** The task the refusal invalidated (`reregister` only). */
      readonly invalidTask: AgentTask | undefined;
    }
  | {
      readonly retry: false;
      readonly because: GiveUpReason;
      readonly remedy: DownstreamRefusalRemedy;
      /** The task the refusal invalidated (`registration_failed` only). */
      readonly invalidTask: AgentTask | undefined;
      /** The turn error core sent to `onEvent` (`registration_failed` only). */
      readonly event: AgentIdentityErrorEvent | undefined;
    };

/**
 * One request to a service that verifies our assertions (an HTTP request, a WebSocket handshake),
 * across its at most two sends: the one place SPEC §4.7's recovery rule lives. Adapters build each
 * send's headers with {@link headers} and, when the service refuses, ask {@link afterRefusal}
 * whether to send once more; they only resend or redial.
 *
 * The rule: a refusal a new task heals (`task_invalid`, `unknown_task`, `unknown_agent`) invalidates
 * the task (compare-and-clear, the `null` line), registers a new one and sends once more; a
 * timestamp refusal (`expired`, `from_future`) is sent once more on the same task only when the
 * identity backend corrected the clock since the refused headers were signed. The refusal's own
 * `Date` never moves the signing clock (SPEC §5, security rules): only identity backend answers
 * do, or a downstream could make us sign assertions dated in the future. At most one recovery per
 * request, so one downstream request costs at most one extra turn's registrations.
 */
export class DownstreamRequest {
  readonly #thread: DownstreamRequestThread;
  readonly #clock: BackendClock;
  readonly #logger: Logger;
  readonly #telemetry: RuntimeTelemetry;
  #auth: TurnAuth;
  /** The clock offset the latest headers were signed with. */
  #signedWithOffsetMs: number;
  #recovered = false;

  /** @internal Made by `thread.downstreamRequest(auth)`. */
  constructor(
    thread: DownstreamRequestThread,
    auth: TurnAuth,
    clock: BackendClock,
    logger: Logger,
    telemetry: RuntimeTelemetry,
  ) {
    this.#thread = thread;
    this.#telemetry = telemetry;
    this.#auth = auth;
    this.#clock = clock;
    this.#logger = logger;
    this.#signedWithOffsetMs = clock.offsetMs;
  }

  /** The auth of the next send: the one begun with, then the one a recovery answered. */
  get auth(): TurnAuth {
    return this.#auth;
  }

  /** Whether a refusal of the next send may still be recovered: it carries a task, and none was yet. */
  get recoverable(): boolean {
    return this.#auth.task !== undefined && !this.#recovered;
  }

  /** Fresh headers for one send, signed now; remembers the clock offset they were signed with. */
  headers(): TurnAuthHeaders {
    this.#signedWithOffsetMs = this.#clock.offsetMs;
    return this.#auth.headers();
  }

  /**
   * The decision after the service answered the latest send with 401 and `refusal` (its
   * `error.code`; `undefined` for none). A `retry` has already invalidated and re-registered as
   * needed, and counts as this request's one recovery. Aborting `signal` (the request's) rejects
   * with its reason at once, re-registration included (the task stays invalidated: the next
   * request registers).
   */
  async afterRefusal(refusal: string | undefined, options: AbortOptions = {}): Promise<RefusalDecision> {
    const remedy = downstreamRefusalRemedy(refusal);
    // adapters ask after every answer: only a refusal the rule heals is a recovery (span, metric)
    if (remedy === 'none') return giveUp('not_healable', remedy);
    const cause = remedy === 'correct_clock' ? 'clock' : String(refusal);
    const attributes = { 'agent_identity.thread.id': this.#thread.id, 'agent_identity.recovery.cause': cause };
    return this.#telemetry.instrumentation.span(CORE_SPANS.downstreamRecovery, attributes, async (span) => {
      const decision = await this.#decide(refusal, remedy, options);
      const outcome = decision.retry ? 'retry' : decision.because;
      span.set({ 'agent_identity.recovery.outcome': outcome });
      this.#telemetry.recoveries.add(1, { cause, outcome });
      return decision;
    });
  }

  async #decide(
    refusal: string | undefined,
    remedy: Exclude<DownstreamRefusalRemedy, 'none'>,
    options: AbortOptions,
  ): Promise<RefusalDecision> {
    const task = this.#auth.task;
    if (task === undefined) return giveUp('no_task', remedy);
    const fields = { threadId: this.#thread.id, refusal, taskId: task.taskId };
    if (this.#recovered) {
      this.#logger.warn(
        'agent identity: the downstream service refused the request sent again; not retrying again',
        fields,
      );
      return giveUp('already_recovered', remedy);
    }
    if (remedy === 'correct_clock') return this.#afterTimestampRefusal(fields);
    return this.#afterTaskRefusal(task, fields, options);
  }

  #afterTimestampRefusal(fields: Record<string, unknown>): RefusalDecision {
    if (this.#clock.offsetMs === this.#signedWithOffsetMs) return giveUp('clock_not_corrected', 'correct_clock');
    this.#recovered = true;
    this.#logger.info(
      'agent identity: the downstream service refused the assertion timestamp; retrying once on the corrected clock',
      fields,
    );
    return { retry: true, remedy: 'correct_clock', auth: this.#auth, invalidTask: undefined };
  }

  async #afterTaskRefusal(
    invalidTask: AgentTask,
    fields: Record<string, unknown>,
    options: AbortOptions,
  ): Promise<RefusalDecision> {
    this.#recovered = true;
    await this.#thread.invalidateTask(invalidTask);
    const turn = await this.#thread.beginTurn(options);
    if (!turn.ok) {
      this.#logger.warn('agent identity: the downstream service refused the task; re-registering failed', fields);
      return { retry: false, because: 'registration_failed', remedy: 'reregister', invalidTask, event: turn.event };
    }
    this.#auth = turn.auth;
    this.#logger.info('agent identity: the downstream service refused the task; re-registered, retrying once', {
      ...fields,
      newTaskId: turn.auth.task?.taskId,
    });
    return { retry: true, remedy: 'reregister', auth: turn.auth, invalidTask };
  }
}

function giveUp(because: GiveUpReason, remedy: DownstreamRefusalRemedy): RefusalDecision {
  return { retry: false, because, remedy, invalidTask: undefined, event: undefined };
}
