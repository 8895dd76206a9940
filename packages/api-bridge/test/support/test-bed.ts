import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentIdentityRuntime,
  FileRolloutStore,
  MemoryAuthSource,
  MemoryIdentityStore,
  MemoryRolloutStore,
  type AgentIdentityEvent,
  type AgentThread,
  type Login,
  type RolloutStore,
  type RuntimeOptions,
  type TurnAuth,
} from '@agent-identity/core';
import { decodeRolloutLines, isSessionStateLine, type SessionAgentTask } from '@agent-identity/protocol';
import {
  startReferenceBackend,
  type BackendCounters,
  type BackendUser,
  type ReferenceBackend,
  type ReferenceBackendOptions,
} from '@agent-identity/reference-backend';
import { expect } from 'vitest';
import { CapturingLogger } from '@agent-identity/core/testing';

/** The one user of these tests; the token is long and unmistakable for leak checks. */
export const USER: BackendUser = {
  accessToken: 'access-token-api-bridge-5d1e7c9a2b4f6e8d0c1b3a5f7e9d2c4b',
  accountId: 'account-bridge',
  userId: 'user-bridge',
};

export const CHATGPT_LOGIN: Login = {
  mode: 'chatgpt',
  accessToken: USER.accessToken,
  accountId: USER.accountId,
  userId: USER.userId,
};

export interface TestBedOptions {
  /** Rollouts in real files under a temp Codex home (default: in memory). */
  readonly fileRollouts?: boolean;
  /** Default: the ChatGPT login of {@link USER}; `null`: nobody logged in. */
  readonly login?: Login | null;
  readonly backend?: ReferenceBackendOptions;
}

/**
 * A real reference backend on 127.0.0.1 port 0, a memory identity store, memory or file rollouts,
 * and runtimes wired to record logs and events. Closed (with a leak check) by {@link closeTestBeds}.
 */
export class TestBed {
  readonly logger = new CapturingLogger();
  readonly events: AgentIdentityEvent[] = [];
  readonly authSource: MemoryAuthSource;
  /** Shared by every runtime of the bed, as one auth file is by every process. */
  readonly identityStore = new MemoryIdentityStore();
  readonly #runtimes: AgentIdentityRuntime[] = [];

  private constructor(
    readonly backend: ReferenceBackend,
    readonly rolloutStore: RolloutStore,
    readonly home: string | undefined,
    login: Login | undefined,
  ) {
    this.authSource = new MemoryAuthSource(login);
  }

  static async start(options: TestBedOptions = {}): Promise<TestBed> {
    const backend = await startReferenceBackend({ users: [USER], ...options.backend });
    const home = options.fileRollouts === true ? await mkdtemp(join(tmpdir(), 'agent-identity-api-bridge-')) : undefined;
    const rolloutStore = home === undefined ? new MemoryRolloutStore() : new FileRolloutStore({ home });
    const login = options.login === null ? undefined : (options.login ?? CHATGPT_LOGIN);
    const bed = new TestBed(backend, rolloutStore, home, login);
    beds.push(bed);
    return bed;
  }

  /** A runtime on this bed's stores, the feature on unless overridden. */
  runtime(overrides: Partial<RuntimeOptions> = {}): AgentIdentityRuntime {
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

  /** A started thread (ChatGPT login: its task registered by the turn) and its first turn's auth. */
  async turn(overrides: Partial<RuntimeOptions> = {}): Promise<{ thread: AgentThread; auth: TurnAuth }> {
    const thread = await this.runtime(overrides).startThread();
    return { thread, auth: await turnAuthOf(thread) };
  }

  /** A started thread whose task the prewarm registered, and the auth of a turn on it. */
  async taskThread(): Promise<{ thread: AgentThread; task: SessionAgentTask; auth: TurnAuth }> {
    const thread = await this.runtime().startThread();
    await thread.prewarmed;
    const task = thread.task;
    if (task === undefined) throw new Error('prewarm registered no task');
    return { thread, task, auth: await turnAuthOf(thread) };
  }

  counters(): BackendCounters {
    return this.backend.admin.counters();
  }

  /** The `agent_task` of every `session_state` line of the thread's rollout, read from its file. */
  async stateLines(threadId: string): Promise<(SessionAgentTask | null)[]> {
    if (!(this.rolloutStore instanceof FileRolloutStore)) throw new Error('this test bed keeps rollouts in memory');
    const path = await this.rolloutStore.findRolloutPath(threadId);
    if (path === undefined) throw new Error(`no rollout file for thread ${threadId}`);
    const { lines, errors } = decodeRolloutLines(await readFile(path, 'utf8'));
    expect(errors).toEqual([]);
    return lines.filter(isSessionStateLine).map((line) => line.payload.agent_task ?? null);
  }

  async close(): Promise<void> {
    await Promise.all(this.#runtimes.map((runtime) => runtime.close()));
    await this.backend.close();
    if (this.home !== undefined) await rm(this.home, { recursive: true, force: true });
  }
}

async function turnAuthOf(thread: AgentThread): Promise<TurnAuth> {
  const turn = await thread.beginTurn();
  if (!turn.ok) throw new Error(turn.event.message);
  return turn.auth;
}

const beds: TestBed[] = [];

/** For `afterEach`: no access token in any log line or event, then every bed of the test closed. */
export async function closeTestBeds(): Promise<void> {
  const started = beds.splice(0);
  try {
    for (const bed of started) {
      expect(bed.logger.text()).not.toContain(USER.accessToken);
      expect(JSON.stringify(bed.events)).not.toContain(USER.accessToken);
    }
  } finally {
    await Promise.all(started.map((bed) => bed.close()));
  }
}
