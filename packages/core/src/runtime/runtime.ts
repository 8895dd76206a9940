import { setMaxListeners } from 'node:events';
import { CoreError } from './errors.js';
import { errorText } from './events.js';
import { BackendClient } from '../backend/backend-client.js';
import { BackendClock } from '../backend/backend-clock.js';
import { IdentityJwtVerifier } from '../identity/identity-jwt.js';
import { IdentityManager } from '../identity/identity-manager.js';
import { resolveRuntimeOptions, type ResolvedRuntimeOptions, type RuntimeOptions } from './options.js';
import type { StoredIdentity } from '../identity/stored-identity.js';
import type { AgentTask } from '../thread/agent-task.js';
import { AgentThread } from '../thread/thread.js';
import { threadNotFound } from '../stores/thread-id.js';
import { uuidV7 } from '../primitives/uuid-v7.js';
import { untilAborted, type AbortOptions } from '../primitives/until-aborted.js';
import { NotLoggedInNotice } from './not-logged-in-notice.js';

export interface StartThreadOptions extends AbortOptions {
  /** Default: a new UUID v7. */
  readonly threadId?: string;
  /** No rollout: the task lives in memory only and no line is ever written. Default `false`. */
  readonly ephemeral?: boolean;
  /** Extra `session_meta` payload fields. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface ForkThreadOptions extends AbortOptions {
  /** Default: a new UUID v7. */
  readonly threadId?: string;
  /** Extra `session_meta` payload fields. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/**
 * The agent-identity client runtime: one per process (or per auth file), shared by all its threads.
 * Create it with {@link createAgentIdentityRuntime}.
 */
export class AgentIdentityRuntime {
  readonly #options: ResolvedRuntimeOptions;
  readonly #identity: IdentityManager;
  readonly #clock: BackendClock;
  readonly #closer = new AbortController();
  readonly #threads = new Set<AgentThread>();
  readonly #prewarmed: Promise<void>;
  readonly #notLoggedIn: NotLoggedInNotice;

  constructor(options: RuntimeOptions) {
    this.#options = resolveRuntimeOptions(options);
    // every thread and every in-flight backend call listens for the close: many listeners is normal
    setMaxListeners(0, this.#closer.signal);
    const {
      baseUrl,
      authApiUrl,
      profile,
      fetch,
      now,
      clockSkewCorrection,
      randomBytes,
      timers,
      timeoutMs,
      retry,
      logger,
    } = this.#options;
    this.#clock = new BackendClock({ now, enabled: clockSkewCorrection, logger });
    this.#notLoggedIn = new NotLoggedInNotice(logger);
    const backend = new BackendClient({
      baseUrl,
      authApiUrl,
      profile,
      fetch,
      clock: this.#clock,
      randomBytes,
      timers,
      timeoutMs,
      retry,
      logger,
      signal: this.#closer.signal,
    });
    this.#identity = new IdentityManager({
      enabled: this.#options.useAgentIdentity,
      authSource: this.#options.authSource,
      identityStore: this.#options.identityStore,
      forcedWorkspaceId: this.#options.forcedWorkspaceId,
      profile,
      backend,
      identityJwt:
        this.#options.identityJwt === undefined
          ? undefined
          : {
              load: this.#options.identityJwt.load,
              verifier: new IdentityJwtVerifier({ ...this.#options.identityJwt, now: this.#clock.now }),
            },
      abom: this.#options.abom,
      now: this.#clock.now,
      randomBytes,
      logger,
      telemetry: this.#options.telemetry,
    });
    this.#prewarmed = this.#prewarmIdentityTask();
  }

  /**
   * Task scope `identity` (`codex-current`): prewarm keeps its meaning (SPEC §4.5 step 2) at
   * runtime start — the identity and its one task are registered (or loaded) in the background,
   * never awaited by start-up, a failure only a warn log. The 0.122 profile prewarms per thread.
   */
  async #prewarmIdentityTask(): Promise<void> {
    if (!this.#identity.enabled || this.#options.profile.taskScope !== 'identity') return;
    try {
      await this.#identity.registerTask();
    } catch (error) {
      if (this.#closer.signal.aborted) return;
      this.#options.logger.warn("agent identity: prewarming the identity's task failed; the next turn will retry", {
        error: errorText(error),
      });
    }
  }

  /** Settles (never rejects) once the runtime-start prewarm of the `codex-current` profile is done. */
  get prewarmed(): Promise<void> {
    return this.#prewarmed;
  }

  /** Whether the feature flag is on. */
  get useAgentIdentity(): boolean {
    return this.#options.useAgentIdentity;
  }

  /**
   * The backend's clock minus the local one, in milliseconds, as learned from the identity
   * backend's `Date` headers (never a downstream's); signed timestamps add it. 0 until a skew
   * beyond 30 s (and within 15 min) is seen, and always 0 with `clockSkewCorrection: false`.
   */
  get clockOffsetMs(): number {
    return this.#clock.offsetMs;
  }

  /**
   * A new thread: its log is created (unless `ephemeral`), then it restores, registers and
   * prewarms like every thread (SPEC §4.5). Aborting `signal` rejects at once with its reason
   * (`AbortError`); the log may exist by then (`resumeThread` finds it).
   */
  startThread(options: StartThreadOptions = {}): Promise<AgentThread> {
    return this.#opening(options.signal, async () => {
      const threadId = options.threadId ?? this.#newThreadId();
      const ephemeral = options.ephemeral ?? false;
      if (!ephemeral) {
        const meta = options.meta === undefined ? {} : { meta: options.meta };
        await this.#options.rolloutStore.createThread(threadId, meta);
      }
      return this.#open(threadId, { ephemeral, logIsNew: !ephemeral });
    });
  }

  /**
   * An existing thread, its task restored from its log. `CoreError THREAD_NOT_FOUND` if unknown;
   * aborting `signal` rejects at once with its reason.
   */
  resumeThread(threadId: string, options: AbortOptions = {}): Promise<AgentThread> {
    return this.#opening(options.signal, async () => {
      await this.#assertKnown(threadId);
      return this.#open(threadId, { ephemeral: false, logIsNew: false });
    });
  }

  /**
   * A new thread whose log copies `parentId`'s minus its `session_state` lines: the fork starts
   * without a task and registers its own (SPEC §4.5). Aborting `signal` rejects at once.
   */
  forkThread(parentId: string, options: ForkThreadOptions = {}): Promise<AgentThread> {
    return this.#opening(options.signal, async () => {
      await this.#assertKnown(parentId);
      const threadId = options.threadId ?? this.#newThreadId();
      await this.#options.rolloutStore.createThread(threadId, {
        forkedFrom: parentId,
        ...(options.meta === undefined ? {} : { meta: options.meta }),
      });
      return this.#open(threadId, { ephemeral: false, logIsNew: true });
    });
  }

  /**
   * Opens a thread unless the runtime is closed, until `signal` aborts: a thread that opens after
   * its caller stopped waiting is closed at once (nobody holds it to close it later).
   */
  async #opening(signal: AbortSignal | undefined, open: () => Promise<AgentThread>): Promise<AgentThread> {
    this.#assertOpen();
    signal?.throwIfAborted();
    const opened = open();
    try {
      return await untilAborted(opened, signal);
    } catch (error) {
      if (signal?.aborted === true) {
        opened.then(
          (thread) => {
            thread.close();
          },
          () => undefined,
        );
      }
      throw error;
    }
  }

  /** SPEC §4.1: the identity, registered if needed; `undefined` when gated. */
  ensureIdentity(): Promise<StoredIdentity | undefined> {
    return this.#identity.ensureIdentity();
  }

  /** The stored identity of the current login, never registering; `undefined` on any error. */
  currentIdentity(): Promise<StoredIdentity | undefined> {
    return this.#identity.currentIdentity();
  }

  /** SPEC §4.2. */
  taskMatchesCurrentIdentity(task: AgentTask): Promise<boolean> {
    return this.#identity.taskMatchesCurrentIdentity(task);
  }

  /**
   * Closes every thread, aborts in-flight backend calls and waits for background work to settle.
   * Nothing is emitted afterwards; starting a thread throws.
   */
  async close(): Promise<void> {
    this.#closer.abort();
    const threads = [...this.#threads];
    for (const thread of threads) thread.close();
    await Promise.all([this.#prewarmed, ...threads.map((thread) => thread.prewarmed)]);
  }

  #open(threadId: string, log: { ephemeral: boolean; logIsNew: boolean }): Promise<AgentThread> {
    return AgentThread.open({
      threadId,
      ...log,
      identity: this.#identity,
      clock: this.#clock,
      options: this.#options,
      runtimeSignal: this.#closer.signal,
      notLoggedIn: this.#notLoggedIn,
      onClose: (thread) => this.#threads.delete(thread),
    }).then((thread) => {
      this.#threads.add(thread);
      return thread;
    });
  }

  async #assertKnown(threadId: string): Promise<void> {
    if (!(await this.#options.rolloutStore.hasThread(threadId))) throw threadNotFound(threadId);
  }

  #assertOpen(): void {
    if (this.#closer.signal.aborted) {
      throw new CoreError('RUNTIME_CLOSED', 'the agent identity runtime is closed');
    }
  }

  #newThreadId(): string {
    return uuidV7(this.#options.now(), this.#options.randomBytes);
  }
}

/** The runtime for `options` (README: *Runtime API*). */
export function createAgentIdentityRuntime(options: RuntimeOptions): AgentIdentityRuntime {
  return new AgentIdentityRuntime(options);
}
