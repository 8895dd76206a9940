import {
  formatSecondsTimestamp,
  toUnionAgentIdentityRecord,
  errorType,
  type AgentIdentityRecord,
  type SpanRecorder,
} from '@agent-identity/protocol';
import { AgentSigningKey } from '@agent-identity/crypto';
import type { BackendClient } from '../backend/backend-client.js';
import { isUnusableIdentityRejection } from '../backend/backend-rejections.js';
import { deriveBinding, recordMatchesBinding, type AgentBinding } from './binding.js';
import { errorText } from '../runtime/events.js';
import { CoreError } from '../runtime/errors.js';
import type { IdentityJwtVerifier } from './identity-jwt.js';
import { recordFillOfLogin } from './identity-record-fill.js';
import type { ChatGptLogin } from '../stores/login.js';
import type { ResolvedRuntimeOptions } from '../runtime/options.js';
import type { AgentTask } from '../thread/agent-task.js';
import { RegistrationBudget } from '../thread/registration-budget.js';
import { StoredIdentity, StoredIdentityCache } from './stored-identity.js';
import { CORE_SPANS } from '../runtime/runtime-telemetry.js';

/** The runtime's options an identity manager uses; its `now` is the backend's clock
 * (`BackendClock.now`), because `registeredAt` records a backend event. */
export type IdentityManagerOptions = Pick<
  ResolvedRuntimeOptions,
  | 'authSource'
  | 'identityStore'
  | 'forcedWorkspaceId'
  | 'abom'
  | 'now'
  | 'randomBytes'
  | 'logger'
  | 'profile'
  | 'telemetry'
> & {
  /** The feature flag. */
  readonly enabled: boolean;
  readonly backend: BackendClient;
  /** Identity JWTs (CODEX-CURRENT): where to find one, and its verifier. */
  readonly identityJwt?:
    { readonly load: () => Promise<string | undefined>; readonly verifier: IdentityJwtVerifier } | undefined;
};

/** A ChatGPT login and its binding: what every identity operation starts from. */
interface BoundLogin {
  readonly login: ChatGptLogin;
  readonly binding: AgentBinding;
}

/** A task just registered, with the identity it was registered for. */
export interface RegisteredTask {
  readonly task: AgentTask;
  readonly identity: StoredIdentity;
}

/** A task id just registered, with the identity it was registered for. */
interface TaskIdOf {
  readonly identity: StoredIdentity;
  readonly taskId: string;
}

/**
 * The agent identity of SPEC §4.1–4.2, shared by every thread of a runtime: registered once per
 * (workspace, user) — once per process through a single flight, once across processes through the
 * store's exclusive lock — and loaded with self-healing.
 */
/** A registered identity whose save failed, with the record to save when the store lets us. */
interface UnsavedIdentity {
  readonly identity: StoredIdentity;
  readonly record: AgentIdentityRecord;
}

export class IdentityManager {
  readonly #options: IdentityManagerOptions;
  readonly #inFlight = new Map<string, Promise<StoredIdentity>>();
  readonly #parsed = new StoredIdentityCache();
  /** Identities registered but not saved (the store refused the save), by binding id: used in-process. */
  readonly #unsaved = new Map<string, UnsavedIdentity>();
  /** Set once the backend stayed unavailable (`BOOTSTRAP_UNAVAILABLE`): bearer auth from then on. */
  #bearerForSession = false;
  /** A JWT identity's task: registered once per identity, kept in memory only (never stored). */
  #jwtTask: { readonly agentRuntimeId: string; readonly registered: Promise<RegisteredTask> } | undefined;

  constructor(options: IdentityManagerOptions) {
    this.#options = options;
  }

  get enabled(): boolean {
    return this.#options.enabled;
  }

  /**
   * SPEC §4.1: the identity of the current login, registered if there is none yet; `undefined`
   * ("nothing") when the feature is off or there is no ChatGPT login with an account. Rejects with
   * the registration or store error.
   */
  async ensureIdentity(): Promise<StoredIdentity | undefined> {
    const fromJwt = await this.#jwtIdentity();
    if (fromJwt !== undefined) return fromJwt;
    const bound = await this.#gate();
    return bound === undefined ? undefined : this.#unlessBootstrapUnavailable(() => this.#ensureFor(bound));
  }

  /** Whether registration gave up for this runtime's life (`codex-current`: bearer auth instead). */
  get bearerForSession(): boolean {
    return this.#bearerForSession;
  }

  /** Whether the feature is on and the current login has a binding (SPEC §2.3). */
  async hasBinding(): Promise<boolean> {
    if (this.enabled && (await this.#options.identityJwt?.load()) !== undefined) return true;
    return (await this.#gate()) !== undefined;
  }

  /**
   * The stored identity of the current login, never registering; `undefined` when the feature is
   * off, nobody is bound, there is no valid record, or loading failed (logged).
   */
  async currentIdentity(): Promise<StoredIdentity | undefined> {
    try {
      const fromJwt = await this.#jwtIdentity();
      if (fromJwt !== undefined) return fromJwt;
      const bound = await this.#gate();
      if (bound === undefined) return undefined;
      return (await this.#loadValidIdentity(bound.binding)) ?? this.#unsaved.get(bound.binding.bindingId)?.identity;
    } catch (error) {
      this.#options.logger.warn('agent identity: could not load the stored identity', { error: errorText(error) });
      return undefined;
    }
  }

  /** The current identity when `task` was registered by it (same `agentRuntimeId`), else `undefined`. */
  async identityForTask(task: AgentTask): Promise<StoredIdentity | undefined> {
    const identity = await this.currentIdentity();
    return identity?.agentRuntimeId === task.agentRuntimeId ? identity : undefined;
  }

  /**
   * SPEC §4.2: flag off → false; else whether the stored identity (loaded, never registered; a
   * failed load counts as none) has the task's `agentRuntimeId`. Only the runtime id is compared.
   */
  async taskMatchesCurrentIdentity(task: AgentTask): Promise<boolean> {
    if (!this.enabled) return false;
    return (await this.identityForTask(task)) !== undefined;
  }

  /**
   * Registers a task for the current identity (ensured first); `undefined` when gated. Rejects with
   * the identity or task registration error.
   *
   * Beyond Codex ({@link #recoverUnknownAgent}): when the backend answers that it does not know the
   * agent (revoked, or a backend that never saw it), or that the record is inconsistent (another
   * user's runtime id, a key that is not the registered one — see `isUnusableIdentityRejection`),
   * the stored identity is replaced and the task registered again, once per call.
   */
  async registerTask(budget: RegistrationBudget = new RegistrationBudget()): Promise<RegisteredTask | undefined> {
    const fromJwt = await this.#jwtIdentity();
    if (fromJwt !== undefined) return this.#unlessBootstrapUnavailable(() => this.#jwtIdentityTask(fromJwt, budget));
    const bound = await this.#gate();
    if (bound === undefined) return undefined;
    return this.#unlessBootstrapUnavailable(() =>
      this.#options.profile.taskScope === 'identity' ? this.#identityTask(bound, budget) : this.#newTask(bound, budget),
    );
  }

  /**
   * Task scope `identity` (`codex-current`): forgets `task` in the stored record (compare-and-clear
   * of its `task_id`), so that the next {@link registerTask} registers a new one. Beyond Codex,
   * which keeps using a task the backend refused (SPEC §4.7's recovery, per identity).
   */
  async forgetIdentityTask(task: AgentTask): Promise<void> {
    if (this.#options.profile.taskScope !== 'identity') return;
    if (this.#jwtTask?.agentRuntimeId === task.agentRuntimeId) {
      const registered = await this.#jwtTask.registered.catch(() => undefined);
      if (registered?.task.taskId === task.taskId) this.#jwtTask = undefined;
      return;
    }
    const store = this.#options.identityStore;
    await store.withExclusiveLock(async () => {
      const record = await store.load();
      if (record?.agent_runtime_id !== task.agentRuntimeId || record.task_id !== task.taskId) return;
      const { task_id: _forgotten, ...withoutTask } = record;
      await store.save(withoutTask);
    });
  }

  /**
   * Task scope `identity`: the one task of the identity, stored in its record as `task_id` and
   * registered only when there is none — under the store's lock, so that threads and processes
   * sharing the record register one task in all.
   */
  #identityTask(bound: BoundLogin, budget: RegistrationBudget): Promise<RegisteredTask> {
    const store = this.#options.identityStore;
    return store.withExclusiveLock(async () => {
      const identity = await this.#options.telemetry.instrumentation.span(
        CORE_SPANS.identityEnsure,
        { 'agent_identity.trigger': 'ensure' },
        (span) => this.#loadOrRegister(bound, span),
      );
      const record = await store.load();
      if (record !== undefined && identity.isSameRegistration(record) && typeof record.task_id === 'string') {
        return { identity, task: this.#agentTask(identity, record.task_id, record.registered_at) };
      }
      const registered = await this.#registerTaskFor(bound, identity, budget);
      const current = await store.load();
      if (current !== undefined && registered.identity.isSameRegistration(current)) {
        await store.save({ ...current, task_id: registered.taskId });
      }
      this.#logTask(registered.identity, registered.taskId);
      return { identity: registered.identity, task: this.#agentTask(registered.identity, registered.taskId) };
    });
  }

  /**
   * The identity of the identity JWT (CODEX-CURRENT "JWT identities"), verified; `undefined` when
   * the feature is off or there is no JWT (the ordinary identity is used then). Rejects with the
   * verifier's typed error: a JWT that does not verify is never replaced by a registration.
   */
  async #jwtIdentity(): Promise<StoredIdentity | undefined> {
    const source = this.#options.identityJwt;
    if (!this.enabled || source === undefined) return undefined;
    const jwt = await source.load();
    return jwt === undefined ? undefined : source.verifier.identity(jwt);
  }

  /**
   * A JWT identity's task: registered at the AuthAPI once per identity (no auth header; the
   * signature is the proof) and kept in memory, never stored (CODEX-CURRENT).
   */
  #jwtIdentityTask(identity: StoredIdentity, budget: RegistrationBudget): Promise<RegisteredTask> {
    const current = this.#jwtTask;
    if (current?.agentRuntimeId === identity.agentRuntimeId) return current.registered;
    // the task registration of the current profile carries no login credential
    const login: ChatGptLogin = { mode: 'chatgpt', accessToken: '', accountId: identity.workspaceId };
    const registered = this.#sendTaskRegistration(login, identity, budget).then((taskId) => {
      this.#logTask(identity, taskId);
      return { identity, task: this.#agentTask(identity, taskId) };
    });
    const entry = { agentRuntimeId: identity.agentRuntimeId, registered };
    this.#jwtTask = entry;
    registered.catch(() => {
      if (this.#jwtTask === entry) this.#jwtTask = undefined;
    });
    return registered;
  }

  /** Task scope `thread` (SPEC §3.4): a new task for every call. */
  async #newTask(bound: BoundLogin, budget: RegistrationBudget): Promise<RegisteredTask> {
    const { identity, taskId } = await this.#registerTaskFor(bound, await this.#ensureFor(bound), budget);
    this.#logTask(identity, taskId);
    return { task: this.#agentTask(identity, taskId), identity };
  }

  #agentTask(identity: StoredIdentity, taskId: string, registeredAt?: string): AgentTask {
    return {
      agentRuntimeId: identity.agentRuntimeId,
      taskId,
      registeredAt: registeredAt ?? formatSecondsTimestamp(this.#options.now()),
    };
  }

  #logTask(identity: StoredIdentity, taskId: string): void {
    this.#options.logger.debug('agent identity: task registered', { agentRuntimeId: identity.agentRuntimeId, taskId });
  }

  /**
   * Runs a registration; when it ends in `BOOTSTRAP_UNAVAILABLE` (only the `codex-current` profile
   * raises it), logs CODEX-CURRENT's message once and answers "nothing" from then on: the session
   * uses bearer auth.
   */
  async #unlessBootstrapUnavailable<T>(register: () => Promise<T>): Promise<T | undefined> {
    try {
      return await register();
    } catch (error) {
      if (!CoreError.isInstance(error) || error.code !== 'BOOTSTRAP_UNAVAILABLE') throw error;
      if (!this.#bearerForSession) {
        this.#bearerForSession = true;
        this.#options.logger.warn(`${error.message}; using ChatGPT bearer auth for this session`);
      }
      return undefined;
    }
  }

  async #registerTaskFor(bound: BoundLogin, identity: StoredIdentity, budget: RegistrationBudget): Promise<TaskIdOf> {
    try {
      return { identity, taskId: await this.#sendTaskRegistration(bound.login, identity, budget) };
    } catch (error) {
      if (!isUnusableIdentityRejection(error)) throw error;
      return this.#recoverUnknownAgent(bound, identity, error.responseErrorCode, budget);
    }
  }

  /** The backend does not know `unknown`: replace it, then register the task once more (no loop). */
  async #recoverUnknownAgent(
    bound: BoundLogin,
    unknown: StoredIdentity,
    refusal: string | undefined,
    budget: RegistrationBudget,
  ): Promise<TaskIdOf> {
    const identity = await this.#replaceUnknownIdentity(bound, unknown, refusal);
    return { identity, taskId: await this.#sendTaskRegistration(bound.login, identity, budget) };
  }

  /** One task registration at the backend (with its retries), counted by outcome. */
  async #sendTaskRegistration(
    login: ChatGptLogin,
    identity: StoredIdentity,
    budget: RegistrationBudget,
  ): Promise<string> {
    return this.#counted('task', () => this.#options.backend.registerTask(login, identity, budget));
  }

  /** Counts a registration sent to the backend: `registered`, or the error's type. */
  async #counted<T>(kind: 'identity' | 'task', register: () => Promise<T>): Promise<T> {
    const { registrations } = this.#options.telemetry;
    try {
      const registered = await register();
      registrations.add(1, { kind, outcome: 'registered' });
      return registered;
    } catch (error) {
      registrations.add(1, { kind, outcome: errorType(error) });
      throw error;
    }
  }

  /**
   * Step 1 (`gate`) and step 2 (`currentBinding`): the flag, then the login's binding; nothing once
   * the session fell back to bearer auth.
   */
  async #gate(): Promise<BoundLogin | undefined> {
    if (!this.enabled || this.#bearerForSession) return undefined;
    return this.#currentBinding();
  }

  async #currentBinding(): Promise<BoundLogin | undefined> {
    const login = await this.#options.authSource.currentLogin();
    if (login?.mode !== 'chatgpt') return undefined;
    const binding = deriveBinding(login, this.#options.forcedWorkspaceId);
    return binding === undefined ? undefined : { login, binding };
  }

  /** Steps 3–7. */
  #ensureFor(bound: BoundLogin): Promise<StoredIdentity> {
    return this.#singleFlight(bound.binding.bindingId, () =>
      this.#options.telemetry.instrumentation.span(
        CORE_SPANS.identityEnsure,
        { 'agent_identity.trigger': 'ensure' },
        (span) => this.#options.identityStore.withExclusiveLock(() => this.#loadOrRegister(bound, span)),
      ),
    );
  }

  /**
   * Steps 5–7, run holding the store's lock. A caller that queued for the lock while another gave
   * up on the backend (`BOOTSTRAP_UNAVAILABLE`) does not try again: the session is on bearer auth.
   */
  async #loadOrRegister(bound: BoundLogin, span: SpanRecorder): Promise<StoredIdentity> {
    if (this.#bearerForSession) {
      throw new CoreError(
        'BOOTSTRAP_UNAVAILABLE',
        'agent identity bootstrap unavailable; this session uses ChatGPT bearer auth',
      );
    }
    const load = { deletedInvalid: false };
    const existing = await this.#loadValidIdentity(bound.binding, () => {
      load.deletedInvalid = true;
    });
    if (existing !== undefined) {
      span.set({ 'agent_identity.identity.outcome': 'loaded' });
      return existing;
    }
    const unsaved = this.#unsaved.get(bound.binding.bindingId);
    if (unsaved !== undefined) {
      span.set({ 'agent_identity.identity.outcome': 'unsaved' });
      return this.#saveUnsaved(bound.binding, unsaved);
    }
    const { record, key } = await this.#counted('identity', () => this.#registerIdentity(bound));
    span.set({ 'agent_identity.identity.outcome': load.deletedInvalid ? 'self_healed' : 'registered' });
    return this.#persistIdentity(bound.binding, record, key);
  }

  /** An identity registered earlier in this process whose save failed: saved now if the store lets us. */
  async #saveUnsaved(binding: AgentBinding, unsaved: UnsavedIdentity): Promise<StoredIdentity> {
    const { identity, record } = unsaved;
    try {
      await this.#options.identityStore.save(record);
      this.#unsaved.delete(binding.bindingId);
    } catch (error) {
      this.#options.logger.debug('agent identity: the registered identity still cannot be saved', {
        agentRuntimeId: identity.agentRuntimeId,
        error: errorText(error),
      });
    }
    return identity;
  }

  /**
   * The backend does not know `unknown`: under the store's lock, forget it (compare-and-delete)
   * and load or register its successor. Concurrent recoveries — threads of this process, other
   * processes on the same store — queue on the lock; the first deletes and registers, the others
   * find a record that is no longer `unknown`, leave it, and use it: one new identity in all.
   * Deliberately not the single flight of `#ensureFor`: waiting for a flight that waits for this
   * lock would deadlock.
   */
  #replaceUnknownIdentity(
    bound: BoundLogin,
    unknown: StoredIdentity,
    refusal: string | undefined,
  ): Promise<StoredIdentity> {
    const attributes = { 'agent_identity.trigger': 'refused', 'agent_identity.refusal': String(refusal) };
    return this.#options.telemetry.instrumentation.span(CORE_SPANS.identityEnsure, attributes, (span) =>
      this.#options.identityStore.withExclusiveLock(async () => {
        await this.#forgetUnknownIdentity(unknown, refusal);
        return this.#loadOrRegister(bound, span);
      }),
    );
  }

  async #forgetUnknownIdentity(unknown: StoredIdentity, refusal: string | undefined): Promise<void> {
    const record = await this.#options.identityStore.load();
    if (record === undefined || !unknown.isSameRegistration(record)) return; // already replaced
    // compare-and-delete: a record another process writes in its place (without our lock) survives
    const deleted = await this.#options.identityStore.delete(record);
    this.#options.logger.warn(
      `agent identity: the backend does not accept the stored identity (${String(refusal)}); registering a new one`,
      {
        agentRuntimeId: record.agent_runtime_id,
        deleted,
      },
    );
  }

  /** Step 3: concurrent callers for one binding share one run. */
  #singleFlight(bindingId: string, run: () => Promise<StoredIdentity>): Promise<StoredIdentity> {
    const inFlight = this.#inFlight.get(bindingId);
    if (inFlight !== undefined) return inFlight;
    const started = run().finally(() => {
      this.#inFlight.delete(bindingId);
    });
    this.#inFlight.set(bindingId, started);
    return started;
  }

  /**
   * Step 5, self-healing: a record of another workspace is ignored (left in place, treated as
   * absent); one of this workspace that belongs to another user or whose key does not parse (or
   * embeds a public key that does not match its seed) is deleted and treated as absent.
   */
  async #loadValidIdentity(binding: AgentBinding, onDeleted?: () => void): Promise<StoredIdentity | undefined> {
    const record = await this.#options.identityStore.load();
    if (record === undefined) return undefined;
    if (record.workspace_id !== binding.chatgptAccountId) {
      this.#ignoreOtherWorkspace(record);
      return undefined;
    }
    if (!recordMatchesBinding(record, binding)) {
      await this.#deleteInvalidRecord(record, 'it belongs to another user');
      onDeleted?.();
      return undefined;
    }
    try {
      return this.#parsed.get(record);
    } catch (error) {
      await this.#deleteInvalidRecord(record, `its private key is invalid (${errorText(error)})`);
      onDeleted?.();
      return undefined;
    }
  }

  #ignoreOtherWorkspace(record: AgentIdentityRecord): void {
    this.#options.logger.debug('agent identity: the stored identity belongs to another workspace; ignoring it', {
      agentRuntimeId: record.agent_runtime_id,
    });
  }

  async #deleteInvalidRecord(record: AgentIdentityRecord, reason: string): Promise<void> {
    // compare-and-delete: a record another process just wrote in its place survives
    const deleted = await this.#options.identityStore.delete(record);
    this.#options.logger.warn(`agent identity: deleting the stored identity because ${reason}`, {
      agentRuntimeId: record.agent_runtime_id,
      deleted,
    });
  }

  /** Step 6: a new key, registered with the backend. */
  async #registerIdentity(bound: BoundLogin): Promise<{ record: AgentIdentityRecord; key: AgentSigningKey }> {
    const key = AgentSigningKey.generate({ randomBytes: this.#options.randomBytes });
    const agentRuntimeId = await this.#options.backend.registerAgent(bound.login, key, this.#options.abom);
    const record = toUnionAgentIdentityRecord(
      {
        workspace_id: bound.binding.chatgptAccountId,
        chatgpt_user_id: bound.binding.chatgptUserId ?? null,
        agent_runtime_id: agentRuntimeId,
        agent_private_key: key.toPkcs8Base64(),
        registered_at: formatSecondsTimestamp(this.#options.now()),
      },
      recordFillOfLogin(bound.login),
    );
    return { record, key };
  }

  /**
   * Step 7: saved in the store's one slot. A save that fails (a read-only home, a store that
   * refuses) leaves an agent registered at the backend that no file names: it is logged as such,
   * and used by this process, so that later turns do not register one more orphan each.
   */
  async #persistIdentity(
    binding: AgentBinding,
    record: AgentIdentityRecord,
    key: AgentSigningKey,
  ): Promise<StoredIdentity> {
    const identity = StoredIdentity.fromRegistration(record, key);
    try {
      await this.#options.identityStore.save(record);
    } catch (error) {
      this.#unsaved.set(binding.bindingId, { identity, record });
      this.#options.logger.warn(
        'agent identity: the registered identity could not be saved; using it in this process only (an orphan agent at the backend once the process ends)',
        { agentRuntimeId: record.agent_runtime_id, error: errorText(error) },
      );
      return identity;
    }
    this.#options.logger.info('agent identity: registered', {
      agentRuntimeId: record.agent_runtime_id,
      workspaceId: record.workspace_id,
    });
    return this.#parsed.remember(identity);
  }
}
