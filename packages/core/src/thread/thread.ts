import { errorType, type SpanRecorder } from '@agent-identity/protocol';
import { AgentAssertionSigner, assertionRuntimeMismatch } from '@agent-identity/crypto';
import type { BackendClock } from '../backend/backend-clock.js';
import {
  errorText,
  identityRegistrationFailedEvent,
  taskRegistrationFailedEvent,
  type AgentIdentityErrorEvent,
} from '../runtime/events.js';
import type { IdentityManager } from '../identity/identity-manager.js';
import type { ResolvedRuntimeOptions } from '../runtime/options.js';
import { RegistrationBudget } from './registration-budget.js';
import { SerialQueue } from '../primitives/serial-queue.js';
import { DownstreamRequest } from './downstream-request.js';
import type { StoredIdentity } from '../identity/stored-identity.js';
import { agentTaskEquals, type AgentTask } from './agent-task.js';
import { ThreadTaskState, type TaskChangeListener } from './thread-task-state.js';
import type { NotLoggedInNotice } from '../runtime/not-logged-in-notice.js';
import { untilAborted, type AbortOptions } from '../primitives/until-aborted.js';
import { bearerHeaders, TurnAuth } from './turn-auth.js';
import { CORE_SPANS, type TurnTaskSource } from '../runtime/runtime-telemetry.js';

/** What `beginTurn()` gives the host app: the turn's auth context, or the error event that ends it. */
export type TurnStart =
  { readonly ok: true; readonly auth: TurnAuth } | { readonly ok: false; readonly event: AgentIdentityErrorEvent };

/** What a thread needs from its runtime. */
export interface AgentThreadContext {
  readonly threadId: string;
  /** No rollout: the task lives in memory only. */
  readonly ephemeral: boolean;
  /**
   * The runtime has just created the log (a start or a fork): it holds no `session_state` line by
   * the store's contract, so restoring needs no read of it.
   */
  readonly logIsNew: boolean;
  readonly identity: IdentityManager;
  /** Assertions are signed on the backend's time. */
  readonly clock: BackendClock;
  readonly options: ResolvedRuntimeOptions;
  /** Aborted when the runtime closes. */
  readonly runtimeSignal: AbortSignal;
  /** The runtime's one "not logged in" warning. */
  readonly notLoggedIn: NotLoggedInNotice;
  /** Told once when the thread closes. */
  readonly onClose: (thread: AgentThread) => void;
}

/**
 * SPEC §4.4 step 3: a task registered while the identity rotated is retried once (within the
 * turn's `RegistrationBudget`).
 */
const TASK_REGISTRATION_ATTEMPTS = 2;

/** A task together with the identity it matches: what a turn signs with, and how it was had. */
interface TaskWithIdentity {
  readonly task: AgentTask;
  readonly identity: StoredIdentity;
  readonly source: Exclude<TurnTaskSource, 'none' | 'failed'>;
}

/**
 * One conversation thread's task lifecycle (SPEC §4.3–4.6): restored from the rollout when it
 * opens, registered and prewarmed in the background, ensured at every user turn.
 */
export class AgentThread {
  readonly id: string;
  readonly ephemeral: boolean;
  readonly #context: AgentThreadContext;
  readonly #state: ThreadTaskState;
  /** SPEC §4.4 step 2: one task registration at a time per thread. */
  readonly #registrationLock = new SerialQueue();
  readonly #closer = new AbortController();
  readonly #signal: AbortSignal;
  #prewarmed: Promise<void> = Promise.resolve();
  /** Whether a turn has begun: the first one feeds the prewarm hit ratio. */
  #turnBegun = false;
  #signer:
    { readonly identity: StoredIdentity; readonly task: AgentTask; readonly signer: AgentAssertionSigner } | undefined;

  private constructor(context: AgentThreadContext) {
    this.id = context.threadId;
    this.ephemeral = context.ephemeral;
    this.#context = context;
    this.#signal = AbortSignal.any([context.runtimeSignal, this.#closer.signal]);
    const { rolloutStore, now, logger } = context.options;
    this.#state = new ThreadTaskState({
      threadId: context.threadId,
      append: this.#keepsTaskInRollout ? (lines) => rolloutStore.append(context.threadId, lines) : undefined,
      now,
      logger,
    });
  }

  /**
   * SPEC §4.5: restores the task from the rollout (awaited), then starts identity registration and
   * prewarm in the background. Used by the runtime's `startThread`, `resumeThread`, `forkThread`.
   * @internal
   */
  static async open(context: AgentThreadContext): Promise<AgentThread> {
    const thread = new AgentThread(context);
    await thread.#restoreFromRollout();
    thread.#startBackgroundRegistration();
    return thread;
  }

  /**
   * Whether this thread's task lives in its rollout (SPEC §4.3): not for an ephemeral thread, and
   * not in the task scope `identity` (`codex-current`), where no `session_state` line is written
   * and old ones are ignored.
   */
  get #keepsTaskInRollout(): boolean {
    return !this.#context.ephemeral && this.#context.options.profile.taskScope === 'thread';
  }

  /** The cached task, if any. */
  get task(): AgentTask | undefined {
    return this.#state.task;
  }

  /**
   * Settles (never rejects) once background registration and prewarm are done, have failed, or
   * gave up (feature off, thread or runtime closed). Pending while waiting for a login.
   */
  get prewarmed(): Promise<void> {
    return this.#prewarmed;
  }

  /** Calls `listener` whenever the cached task changes; returns the unsubscribe function. */
  onTaskChange(listener: TaskChangeListener): () => void {
    return this.#state.onChange(listener);
  }

  /**
   * SPEC §4.4: the thread's task, registering one if needed; `undefined` when there is none to
   * have (feature off, no ChatGPT login, identity rotated twice). Rejects with the registration
   * error, or with the signal's reason (`AbortError`) as soon as `signal` aborts.
   */
  async ensureTask(options: AbortOptions = {}): Promise<AgentTask | undefined> {
    const { signal } = options;
    return (await untilAborted(this.#ensureTaskWithIdentity(signal), signal))?.task;
  }

  /**
   * SPEC §4.6: awaits the task, then the turn's auth context (an assertion for the task, bearer auth
   * without one, scheme `none` when nobody is logged in — warned once, code `NOT_LOGGED_IN`). On
   * failure the `TASK_REGISTRATION_FAILED` event is sent to `onEvent` and returned: end the turn
   * without calling the model; the next turn tries again from scratch. Aborting `signal` rejects
   * at once with its reason (`AbortError`, no event) and stops this turn's registration sends.
   */
  async beginTurn(options: AbortOptions = {}): Promise<TurnStart> {
    const { signal } = options;
    signal?.throwIfAborted();
    const { telemetry, now } = this.#context.options;
    const first = !this.#turnBegun;
    this.#turnBegun = true;
    const attributes = { 'agent_identity.thread.id': this.id, 'agent_identity.turn.first': first };
    return telemetry.instrumentation.span(CORE_SPANS.beginTurn, attributes, async (span) => {
      const startedAt = now();
      const turn = await this.#beginTurn(signal);
      const waitedMs = Math.max(0, now() - startedAt);
      span.set({ 'agent_identity.turn.task_source': turn.source, 'agent_identity.turn.task_wait_ms': waitedMs });
      telemetry.turnTaskWait.record(waitedMs, { source: turn.source });
      if (first) telemetry.firstTurns.add(1, { prewarm_hit: turn.source === 'cached' });
      return turn.start;
    });
  }

  async #beginTurn(
    signal: AbortSignal | undefined,
  ): Promise<{ readonly start: TurnStart; readonly source: TurnTaskSource }> {
    try {
      return await untilAborted(this.#turnStart(signal), signal);
    } catch (error) {
      // the caller stopped waiting: not a registration failure, so no event
      if (signal?.aborted === true) throw signal.reason as Error;
      const event = taskRegistrationFailedEvent(this.id, error, this.#context.options.productName);
      this.#emit(event);
      return { start: { ok: false, event }, source: 'failed' };
    }
  }

  async #turnStart(
    signal: AbortSignal | undefined,
  ): Promise<{ readonly start: TurnStart; readonly source: TurnTaskSource }> {
    const ensured = await this.#ensureTaskWithIdentity(signal);
    const { notLoggedIn } = this.#context;
    if (ensured !== undefined) {
      notLoggedIn.turnBegan(true, this.id);
      const signer = this.#signerFor(ensured.identity, ensured.task);
      const { clock, options } = this.#context;
      const accountId = options.profile.accountIdBesideAssertion ? ensured.identity.workspaceId : undefined;
      const auth = TurnAuth.assertion(ensured.task, signer, clock.now, accountId);
      return { start: { ok: true, auth }, source: ensured.source };
    }
    const login = await this.#context.options.authSource.currentLogin();
    notLoggedIn.turnBegan(login !== undefined, this.id);
    return { start: { ok: true, auth: TurnAuth.bearer(login) }, source: 'none' };
  }

  /**
   * The `Authorization` value for the current state, never registering: an assertion for the
   * cached task (when the stored identity is loaded), else `Bearer` of the login, else
   * `undefined`. A cached task of another runtime than the stored identity rejects with
   * `agent task runtime … does not match stored agent identity …`.
   */
  async authorizationHeader(): Promise<string | undefined> {
    const { identity, clock, options } = this.#context;
    const task = this.#state.task;
    if (task !== undefined) {
      const stored = await identity.currentIdentity();
      if (stored !== undefined) return this.#signerFor(stored, task).header(clock.now());
    }
    const login = await options.authSource.currentLogin();
    return login === undefined ? undefined : bearerHeaders(login).authorization;
  }

  /**
   * Compare-and-clear (SPEC §4.3): forgets `task` (writing the `null` line) only if it is still the
   * cached task. For adapters whose downstream call was refused with a code a new task heals
   * (protocol's `isReregistrationRefusal`: `task_invalid`, `unknown_task`, `unknown_agent`).
   */
  async invalidateTask(task: AgentTask): Promise<boolean> {
    await this.#context.identity.forgetIdentityTask(task);
    return this.#state.invalidateTask(task);
  }

  /**
   * One request to a service that verifies our assertions, sent with `auth` (SPEC §4.7): build each
   * send's headers from it and ask its `afterRefusal(code)` whether to send once more.
   */
  downstreamRequest(auth: TurnAuth): DownstreamRequest {
    const { clock, options } = this.#context;
    return new DownstreamRequest(this, auth, clock, options.logger, options.telemetry);
  }

  /** Stops waiting for a login (background registration ends). Turns keep working. */
  close(): void {
    if (this.#closer.signal.aborted) return;
    this.#closer.abort();
    this.#context.onClose(this);
  }

  /** SPEC §4.4; `signal` aborts this caller's registration sends (and a section it queued). */
  async #ensureTaskWithIdentity(signal?: AbortSignal): Promise<TaskWithIdentity | undefined> {
    const cached = await this.#fastPath('cached');
    if (cached !== undefined) return cached;
    return this.#registrationLock.run(async () => {
      // the caller stopped waiting while queued: register nothing for nobody
      signal?.throwIfAborted();
      const rechecked = await this.#fastPath('waited');
      if (rechecked !== undefined) return rechecked;
      return this.#context.options.telemetry.instrumentation.span(
        CORE_SPANS.taskRegister,
        { 'agent_identity.thread.id': this.id },
        (span) => this.#registerTask(span, signal),
      );
    });
  }

  /** Step 3, holding the registration lock. */
  async #registerTask(span: SpanRecorder, signal: AbortSignal | undefined): Promise<TaskWithIdentity | undefined> {
    const budget = new RegistrationBudget(undefined, signal);
    try {
      for (let attempt = 1; attempt <= TASK_REGISTRATION_ATTEMPTS; attempt += 1) {
        const registered = await this.#context.identity.registerTask(budget);
        if (registered === undefined) {
          span.set({ 'agent_identity.task.outcome': 'none' });
          return undefined;
        }
        const current = await this.#discardIfStale(registered.task);
        if (current === undefined) continue;
        await this.#state.cache(registered.task);
        span.set({ 'agent_identity.task.outcome': budget.spent === 0 ? 'reused' : 'registered' });
        return { task: registered.task, identity: current, source: 'registered' };
      }
      span.set({ 'agent_identity.task.outcome': 'identity_rotated' });
      return undefined;
    } finally {
      span.set({ 'agent_identity.task.attempts': budget.spent });
    }
  }

  /** Steps 1 and 2 (`recheckCache`): the cached task, if it is the current identity's. */
  async #fastPath(source: 'cached' | 'waited'): Promise<TaskWithIdentity | undefined> {
    if (this.#state.task === undefined) return undefined;
    let identity: StoredIdentity | undefined;
    const task = await this.#state.cachedTaskForCurrentIdentity(async (cached) => {
      identity = await this.#context.identity.identityForTask(cached);
      return identity !== undefined;
    });
    return task === undefined || identity === undefined ? undefined : { task, identity, source };
  }

  /** Step 3: the identity still current for a task just registered, else `undefined` (rotated). */
  async #discardIfStale(task: AgentTask): Promise<StoredIdentity | undefined> {
    const identity = await this.#context.identity.identityForTask(task);
    if (identity === undefined) {
      this.#context.options.logger.info(
        'agent identity: the identity changed during task registration; discarding the task',
        {
          threadId: this.id,
          agentRuntimeId: task.agentRuntimeId,
        },
      );
    }
    return identity;
  }

  /** SPEC §4.5 step 1 (awaited, never writes). */
  async #restoreFromRollout(): Promise<void> {
    if (!this.#keepsTaskInRollout || this.#context.logIsNew) return;
    const { options, identity } = this.#context;
    const newest = await options.rolloutStore.newestSessionState(this.id);
    await this.#state.restore(newest, (task) => identity.taskMatchesCurrentIdentity(task));
  }

  /** SPEC §4.5 step 2 (not awaited). */
  #startBackgroundRegistration(): void {
    this.#prewarmed = this.#registerInBackground();
  }

  async #registerInBackground(): Promise<void> {
    const { identity, options } = this.#context;
    if (!identity.enabled) return;
    await options.telemetry.instrumentation.span(CORE_SPANS.prewarm, { 'agent_identity.thread.id': this.id }, (span) =>
      this.#registerThenPrewarm(span),
    );
  }

  async #registerThenPrewarm(span: SpanRecorder): Promise<void> {
    const { identity } = this.#context;
    for (;;) {
      try {
        if ((await identity.ensureIdentity()) !== undefined) break;
      } catch (error) {
        span.set({ 'agent_identity.prewarm.outcome': 'identity_failed', 'error.type': errorType(error) });
        this.#emitRegistrationFailed(error);
        return;
      }
      if (!(await this.#waitForLogin())) {
        span.set({ 'agent_identity.prewarm.outcome': 'closed' });
        return;
      }
    }
    await this.#prewarm(span);
  }

  /**
   * Waits for the next auth change; `false` once the thread or runtime closes. Subscribes before
   * re-checking, so a login that lands between the failed attempt and the wait is not missed.
   */
  async #waitForLogin(): Promise<boolean> {
    const { identity, options } = this.#context;
    const waiter = new AbortController();
    const change = options.authSource.waitForChange(AbortSignal.any([this.#signal, waiter.signal]));
    try {
      if (await identity.hasBinding()) waiter.abort();
      else options.logger.debug('agent identity: no ChatGPT login yet; waiting for one', { threadId: this.id });
      await change;
    } catch {
      // aborted: by `waiter` (a binding is already there: try again) or by closing
    }
    return !this.#signal.aborted;
  }

  /** SPEC §4.5 step 2: §4.4 once; a failure is a warn log, never an event. */
  async #prewarm(span: SpanRecorder): Promise<void> {
    try {
      const ensured = await this.#ensureTaskWithIdentity();
      span.set({ 'agent_identity.prewarm.outcome': ensured === undefined ? 'none' : 'ready' });
    } catch (error) {
      span.set({ 'agent_identity.prewarm.outcome': 'failed', 'error.type': errorType(error) });
      if (this.#signal.aborted) return;
      this.#context.options.logger.warn('agent identity: prewarming the task failed; the next turn will retry', {
        threadId: this.id,
        error: errorText(error),
      });
    }
  }

  /** SPEC §4.5 step 3: exactly one event per failed background registration. */
  #emitRegistrationFailed(error: unknown): void {
    if (this.#signal.aborted) return;
    this.#emit(identityRegistrationFailedEvent(this.id, error));
  }

  #emit(event: AgentIdentityErrorEvent): void {
    try {
      this.#context.options.onEvent(event);
    } catch (error) {
      this.#context.options.logger.error('agent identity: the onEvent sink threw', {
        threadId: this.id,
        error: errorText(error),
      });
    }
  }

  /**
   * One assertion signer per (identity, task), kept while neither changes, so its per-second memo
   * survives across turns. Throws the SPEC mismatch error for a task of another runtime.
   */
  #signerFor(identity: StoredIdentity, task: AgentTask): AgentAssertionSigner {
    if (task.agentRuntimeId !== identity.agentRuntimeId) {
      throw assertionRuntimeMismatch(task.agentRuntimeId, identity.agentRuntimeId);
    }
    const current = this.#signer;
    if (current?.identity === identity && agentTaskEquals(current.task, task)) return current.signer;
    const signer = new AgentAssertionSigner(identity.key, {
      agentRuntimeId: identity.agentRuntimeId,
      taskId: task.taskId,
    });
    this.#signer = { identity, task, signer };
    return signer;
  }
}
