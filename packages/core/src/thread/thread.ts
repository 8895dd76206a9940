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
import { bearerHeaders, TurnAuth } from './turn-auth.js';

/** What `beginTurn()` gives the host app: the turn's auth context, or the error event that ends it. */
export type TurnStart =
  { readonly ok: true; readonly auth: TurnAuth } | { readonly ok: false; readonly event: AgentIdentityErrorEvent };

/** What a thread needs from its runtime. */
export interface AgentThreadContext {
  readonly threadId: string;
  /** No rollout: the task lives in memory only. */
  readonly ephemeral: boolean;
  readonly identity: IdentityManager;
  /** Assertions are signed on the backend's time. */
  readonly clock: BackendClock;
  readonly options: ResolvedRuntimeOptions;
  /** Aborted when the runtime closes. */
  readonly runtimeSignal: AbortSignal;
  /** Told once when the thread closes. */
  readonly onClose: (thread: AgentThread) => void;
}

/**
 * SPEC §4.4 step 3: a task registered while the identity rotated is retried once (within the
 * turn's `RegistrationBudget`).
 */
const TASK_REGISTRATION_ATTEMPTS = 2;

/** A task together with the identity it matches: what a turn signs with. */
interface TaskWithIdentity {
  readonly task: AgentTask;
  readonly identity: StoredIdentity;
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
   * have (feature off, no ChatGPT login, identity rotated twice). Rejects with the registration error.
   */
  async ensureTask(): Promise<AgentTask | undefined> {
    return (await this.#ensureTaskWithIdentity())?.task;
  }

  /**
   * SPEC §4.6: awaits the task, then the turn's auth context (an assertion for the task, bearer auth
   * without one). On failure the `TASK_REGISTRATION_FAILED` event is sent to `onEvent` and returned:
   * end the turn without calling the model; the next turn tries again from scratch.
   */
  async beginTurn(): Promise<TurnStart> {
    try {
      const ensured = await this.#ensureTaskWithIdentity();
      if (ensured !== undefined) {
        const signer = this.#signerFor(ensured.identity, ensured.task);
        const { clock, options } = this.#context;
        const accountId = options.profile.accountIdBesideAssertion ? ensured.identity.workspaceId : undefined;
        return { ok: true, auth: TurnAuth.assertion(ensured.task, signer, clock.now, accountId) };
      }
      return { ok: true, auth: TurnAuth.bearer(await this.#context.options.authSource.currentLogin()) };
    } catch (error) {
      const event = taskRegistrationFailedEvent(this.id, error, this.#context.options.productName);
      this.#emit(event);
      return { ok: false, event };
    }
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
    return new DownstreamRequest(this, auth, this.#context.clock, this.#context.options.logger);
  }

  /** Stops waiting for a login (background registration ends). Turns keep working. */
  close(): void {
    if (this.#closer.signal.aborted) return;
    this.#closer.abort();
    this.#context.onClose(this);
  }

  /** SPEC §4.4. */
  async #ensureTaskWithIdentity(): Promise<TaskWithIdentity | undefined> {
    const cached = await this.#fastPath();
    if (cached !== undefined) return cached;
    return this.#registrationLock.run(async () => {
      const rechecked = await this.#fastPath();
      if (rechecked !== undefined) return rechecked;
      const budget = new RegistrationBudget();
      for (let attempt = 1; attempt <= TASK_REGISTRATION_ATTEMPTS; attempt += 1) {
        const registered = await this.#context.identity.registerTask(budget);
        if (registered === undefined) return undefined;
        const current = await this.#discardIfStale(registered.task);
        if (current === undefined) continue;
        await this.#state.cache(registered.task);
        return { task: registered.task, identity: current };
      }
      return undefined;
    });
  }

  /** Steps 1 and 2 (`recheckCache`): the cached task, if it is the current identity's. */
  async #fastPath(): Promise<TaskWithIdentity | undefined> {
    if (this.#state.task === undefined) return undefined;
    let identity: StoredIdentity | undefined;
    const task = await this.#state.cachedTaskForCurrentIdentity(async (cached) => {
      identity = await this.#context.identity.identityForTask(cached);
      return identity !== undefined;
    });
    return task === undefined || identity === undefined ? undefined : { task, identity };
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
    if (!this.#keepsTaskInRollout) return;
    const { options, identity } = this.#context;
    const newest = await options.rolloutStore.newestSessionState(this.id);
    await this.#state.restore(newest, (task) => identity.taskMatchesCurrentIdentity(task));
  }

  /** SPEC §4.5 step 2 (not awaited). */
  #startBackgroundRegistration(): void {
    this.#prewarmed = this.#registerInBackground();
  }

  async #registerInBackground(): Promise<void> {
    const { identity } = this.#context;
    if (!identity.enabled) return;
    for (;;) {
      try {
        if ((await identity.ensureIdentity()) !== undefined) break;
      } catch (error) {
        this.#emitRegistrationFailed(error);
        return;
      }
      if (!(await this.#waitForLogin())) return;
    }
    await this.#prewarm();
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
  async #prewarm(): Promise<void> {
    try {
      await this.ensureTask();
    } catch (error) {
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
