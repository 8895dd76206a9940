import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  agentTaskOfWire,
  createAgentIdentityRuntime,
  FileIdentityStore,
  FileRolloutStore,
  MemoryAuthSource,
  MemoryIdentityStore,
  MemoryRolloutStore,
  type AgentIdentityEvent,
  type AgentIdentityRuntime,
  type AgentTask,
  type AgentThread,
  type IdentityStore,
  type Login,
  type RolloutStore,
  type RuntimeOptions,
  type TurnAuth,
} from '@agent-identity/core';
import { CapturingLogger } from '@agent-identity/core/testing';
import { decodeRolloutLinesStrict, isSessionStateLine } from '@agent-identity/protocol';
import {
  startReferenceBackend,
  type BackendCounters,
  type ReferenceBackend,
  type ReferenceBackendOptions,
} from '@agent-identity/reference-backend';
import { ALICE, loginOf, USERS } from './test-users.js';

/** Retries fast in tests (the policy's shape is the same, only the delays are tiny). */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 20 };

/** What a bed is made of, beyond its defaults. */
export interface RuntimeBedOptions {
  /** The reference backend's options; its users default to {@link USERS}. */
  readonly backend?: ReferenceBackendOptions;
  /** Who is logged in on the bed's memory auth source. Default: Alice's ChatGPT login; `null`: nobody. */
  readonly login?: Login | null;
  /** The agent identity slot: in memory (default), or in a real `auth.json` in the bed's home. */
  readonly identityStore?: 'memory' | 'file';
  /** The rollouts: in memory (default), or real files under the bed's home (a Codex home). */
  readonly rolloutStore?: 'memory' | 'file';
  /** Options of every runtime of the bed, over its defaults (flag on, fast retries, the bed's parts). */
  readonly runtime?: Partial<RuntimeOptions>;
}

/** How `start` builds a bed of a subclass: its constructor takes what the base one does. */
type BedConstructor<Bed extends RuntimeBed> = new (
  backend: ReferenceBackend,
  home: string,
  options: RuntimeBedOptions,
) => Bed;

const openBeds = new Set<RuntimeBed>();

/**
 * A real reference backend on 127.0.0.1 port 0, a home folder of its own, stores shared by every
 * runtime of the bed (as one Codex home is by every process), a capturing logger and the events
 * collected. A package's harness extends it with what only its tests need.
 */
export class RuntimeBed {
  readonly logger = new CapturingLogger();
  readonly events: AgentIdentityEvent[] = [];
  readonly authSource: MemoryAuthSource;
  readonly identityStore: IdentityStore;
  readonly rolloutStore: RolloutStore;
  readonly #runtimeOptions: Partial<RuntimeOptions>;
  readonly #runtimes: AgentIdentityRuntime[] = [];

  /** Takes the started backend and the made folder: call {@link RuntimeBed.start}, which does both. */
  constructor(
    readonly backend: ReferenceBackend,
    readonly home: string,
    options: RuntimeBedOptions,
  ) {
    this.authSource = new MemoryAuthSource(options.login === null ? undefined : (options.login ?? loginOf(ALICE)));
    this.identityStore =
      options.identityStore === 'file'
        ? new FileIdentityStore({ path: join(home, 'auth.json') })
        : new MemoryIdentityStore();
    this.rolloutStore =
      options.rolloutStore === 'file' ? new FileRolloutStore({ home, logger: this.logger }) : new MemoryRolloutStore();
    this.#runtimeOptions = options.runtime ?? {};
  }

  /** Starts a bed (of the class it is called on); `close()` or {@link closeRuntimeBeds} ends it. */
  static async start<Bed extends RuntimeBed>(this: BedConstructor<Bed>, options: RuntimeBedOptions = {}): Promise<Bed> {
    const home = await mkdtemp(join(tmpdir(), 'agent-identity-test-bed-'));
    try {
      const bed = new this(await startReferenceBackend({ users: USERS, ...options.backend }), home, options);
      openBeds.add(bed);
      return bed;
    } catch (error) {
      await rm(home, { recursive: true, force: true });
      throw error;
    }
  }

  /** A runtime on the bed's backend and stores (a second one models a second process); closed with the bed. */
  runtime(overrides: Partial<RuntimeOptions> = {}): AgentIdentityRuntime {
    const runtime = createAgentIdentityRuntime({
      useAgentIdentity: true,
      baseUrl: this.backend.baseUrl,
      authSource: this.authSource,
      identityStore: this.identityStore,
      rolloutStore: this.rolloutStore,
      logger: this.logger,
      onEvent: (event) => this.events.push(event),
      retry: FAST_RETRY,
      ...this.#runtimeOptions,
      ...overrides,
    });
    this.#runtimes.push(runtime);
    return runtime;
  }

  /** The auth of a turn begun on `thread`; throws if the turn could not begin. */
  async turnAuth(thread: AgentThread): Promise<TurnAuth> {
    const turn = await thread.beginTurn();
    if (!turn.ok) throw new Error(`the turn did not begin: ${turn.event.message}`);
    return turn.auth;
  }

  counters(): BackendCounters {
    return this.backend.admin.counters();
  }

  /** The path of the thread's rollout file (a bed with file rollouts only). */
  async rolloutPath(threadId: string): Promise<string> {
    if (!(this.rolloutStore instanceof FileRolloutStore)) throw new Error('this bed keeps its rollouts in memory');
    const path = await this.rolloutStore.findRolloutPath(threadId);
    if (path === undefined) throw new Error(`thread ${threadId} has no rollout file`);
    return path;
  }

  /** The task of every `session_state` line of the thread's rollout file, in order; throws on an invalid line. */
  async stateLines(threadId: string): Promise<(AgentTask | null)[]> {
    const lines = decodeRolloutLinesStrict(await readFile(await this.rolloutPath(threadId), 'utf8'));
    return lines.filter(isSessionStateLine).map((line) => agentTaskOfWire(line.payload.agent_task));
  }

  /** Everything logged and emitted: what a leak check searches. */
  seen(): string {
    return `${this.logger.text()}\n${JSON.stringify(this.events)}`;
  }

  /** Closes the bed's runtimes and backend and removes its folder. */
  async close(): Promise<void> {
    openBeds.delete(this);
    await Promise.all(this.#runtimes.map((runtime) => runtime.close()));
    await this.backend.close();
    await rm(this.home, { recursive: true, force: true });
  }
}

/**
 * For `afterEach`: runs `check` (a leak check, say) on every bed still open, then closes them all,
 * whether or not a check failed.
 */
export async function closeRuntimeBeds(check: (bed: RuntimeBed) => void = () => undefined): Promise<void> {
  const open = [...openBeds];
  try {
    for (const bed of open) check(bed);
  } finally {
    await Promise.all(open.map((bed) => bed.close()));
  }
}
