import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentIdentityRuntime,
  FileRolloutStore,
  MemoryAuthSource,
  MemoryIdentityStore,
  type AgentIdentityEvent,
  type AgentThread,
  type RuntimeOptions,
  type TurnAuth,
} from '@agent-identity/core';
import { decodeRolloutLines, isSessionStateLine, type SessionAgentTask } from '@agent-identity/protocol';
import { startReferenceBackend, type ReferenceBackend, type ReferenceBackendOptions } from '@agent-identity/reference-backend';
import { AgentSocketPool, type SocketPoolThread } from '../../src/agent-socket-pool.js';
import type { AgentSocketPoolOptions } from '../../src/pool-options.js';
import { CapturingLogger } from '@agent-identity/core/testing';
import { ALICE, loginOf, USERS } from './users.js';

/**
 * A real reference backend and a runtime on real files (a file rollout store in a temp folder),
 * logged in as Alice; every pool made here is closed by `close()`.
 */
export class AgentHarness {
  readonly logger = new CapturingLogger();
  readonly events: AgentIdentityEvent[] = [];
  readonly authSource = new MemoryAuthSource(loginOf(ALICE));
  readonly identityStore = new MemoryIdentityStore();
  readonly rolloutStore: FileRolloutStore;
  readonly runtime: AgentIdentityRuntime;
  readonly #pools: AgentSocketPool[] = [];
  readonly #runtimes: AgentIdentityRuntime[] = [];

  private constructor(
    readonly backend: ReferenceBackend,
    readonly home: string,
    overrides: Partial<RuntimeOptions>,
  ) {
    this.rolloutStore = new FileRolloutStore({ home });
    this.runtime = this.anotherRuntime(overrides);
  }

  /**
   * A runtime on the same stores — another process on the same Codex home — e.g. with another
   * `baseUrl` or a skewed `now`; closed by `close()`.
   */
  anotherRuntime(overrides: Partial<RuntimeOptions> = {}): AgentIdentityRuntime {
    const runtime = new AgentIdentityRuntime({
      useAgentIdentity: true,
      baseUrl: this.backend.baseUrl,
      authSource: this.authSource,
      identityStore: this.identityStore,
      rolloutStore: this.rolloutStore,
      logger: this.logger,
      onEvent: (event) => this.events.push(event),
      retry: { baseDelayMs: 1, maxDelayMs: 20 },
      ...overrides,
    });
    this.#runtimes.push(runtime);
    return runtime;
  }

  static async start(overrides: Partial<RuntimeOptions> = {}, backendOptions: Partial<ReferenceBackendOptions> = {}): Promise<AgentHarness> {
    const backend = await startReferenceBackend({ users: USERS, ...backendOptions });
    const home = await mkdtemp(join(tmpdir(), 'transport-ws-'));
    return new AgentHarness(backend, home, overrides);
  }

  /** A thread whose background registration and prewarm are done. */
  async thread(): Promise<AgentThread> {
    const thread = await this.runtime.startThread();
    await thread.prewarmed;
    return thread;
  }

  /**
   * A thread that has no task yet: its prewarm is refused (a 400 is never retried), so the next
   * `beginTurn()` registers one. What a bearer prewarm at start-up sees.
   */
  async threadWithoutTask(): Promise<AgentThread> {
    this.backend.admin.injectFault('task_register', { kind: 'status', status: 400 });
    const thread = await this.thread();
    if (thread.task !== undefined) throw new Error('the prewarm registered a task');
    return thread;
  }

  /** The turn's auth context; throws if the turn could not begin. */
  async turnAuth(thread: AgentThread): Promise<TurnAuth> {
    const turn = await thread.beginTurn();
    if (!turn.ok) throw new Error(`the turn did not begin: ${turn.event.message}`);
    return turn.auth;
  }

  pool(thread: SocketPoolThread, options: Partial<AgentSocketPoolOptions> = {}): AgentSocketPool {
    const pool = new AgentSocketPool(thread, { url: this.backend.websocketUrl, logger: this.logger, ...options });
    this.#pools.push(pool);
    return pool;
  }

  /** The `agent_task` of every `session_state` line in the thread's rollout file, in order. */
  async stateLines(threadId: string): Promise<(SessionAgentTask | null)[]> {
    const path = await this.rolloutStore.findRolloutPath(threadId);
    if (path === undefined) throw new Error(`no rollout for ${threadId}`);
    const { lines, errors } = decodeRolloutLines(await readFile(path, 'utf8'));
    if (errors.length > 0) throw new Error('the rollout has invalid lines');
    return lines.filter(isSessionStateLine).map((line) => line.payload.agent_task ?? null);
  }

  /** Everything logged and emitted, for leak checks. */
  seen(): string {
    return `${this.logger.text()}\n${JSON.stringify(this.events)}`;
  }

  async close(): Promise<void> {
    await Promise.all(this.#pools.map((pool) => pool.close()));
    await Promise.all(this.#runtimes.map((runtime) => runtime.close()));
    await this.backend.close();
    await rm(this.home, { recursive: true, force: true });
  }
}

const harnesses: AgentHarness[] = [];

export async function startAgentHarness(
  overrides: Partial<RuntimeOptions> = {},
  backendOptions: Partial<ReferenceBackendOptions> = {},
): Promise<AgentHarness> {
  const harness = await AgentHarness.start(overrides, backendOptions);
  harnesses.push(harness);
  return harness;
}

/** For `afterEach`: closes every harness the test started. */
export async function closeAgentHarnesses(): Promise<void> {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
}
