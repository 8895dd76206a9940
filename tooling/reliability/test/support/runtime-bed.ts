import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAgentIdentityRuntime,
  FileIdentityStore,
  FileRolloutStore,
  MemoryAuthSource,
  type AgentIdentityEvent,
  type AgentIdentityRuntime,
  type RuntimeOptions,
} from '@agent-identity/core';
import { decodeRolloutLines, isSessionStateLine, type SessionAgentTask } from '@agent-identity/protocol';
import { startReferenceBackend, type ReferenceBackend, type ReferenceBackendOptions } from '@agent-identity/reference-backend';
import { CapturingLogger } from '@agent-identity/core/testing';
import { LOGIN, USER } from './users.js';

/** What a bed is made of, beyond its defaults. */
export interface RuntimeBedOptions {
  readonly backend?: ReferenceBackendOptions;
  /** Runtime options of every runtime of the bed (flag on, bed's stores and backend by default). */
  readonly runtime?: Partial<RuntimeOptions>;
}

/**
 * What the suite runs the runtime on: the reference backend on 127.0.0.1 port 0, the file stores
 * in a Codex home folder of its own, a capturing logger and the events collected. Each bed is
 * independent of every other, so tests on beds can run concurrently.
 */
export class RuntimeBed {
  readonly logger = new CapturingLogger();
  readonly events: AgentIdentityEvent[] = [];
  readonly authSource = new MemoryAuthSource(LOGIN);
  readonly identityStore: FileIdentityStore;
  readonly rolloutStore: FileRolloutStore;
  readonly #runtimes: AgentIdentityRuntime[] = [];

  private constructor(
    readonly backend: ReferenceBackend,
    readonly home: string,
    readonly runtimeOptions: Partial<RuntimeOptions>,
  ) {
    this.identityStore = new FileIdentityStore({ path: join(home, 'auth.json') });
    this.rolloutStore = new FileRolloutStore({ home, logger: this.logger });
  }

  /** Runs `test` on a new bed, then closes its runtimes and backend and removes its folder. */
  static async run(options: RuntimeBedOptions, test: (bed: RuntimeBed) => Promise<void>): Promise<void> {
    const home = await mkdtemp(join(tmpdir(), 'agent-identity-reliability-'));
    try {
      const backend = await startReferenceBackend({ users: [USER], ...options.backend });
      const bed = new RuntimeBed(backend, home, options.runtime ?? {});
      try {
        await test(bed);
      } finally {
        await bed.close();
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }

  /** A runtime on the bed's stores and backend, flag on. */
  runtime(overrides: Partial<RuntimeOptions> = {}): AgentIdentityRuntime {
    const runtime = createAgentIdentityRuntime({
      useAgentIdentity: true,
      baseUrl: this.backend.baseUrl,
      authSource: this.authSource,
      identityStore: this.identityStore,
      rolloutStore: this.rolloutStore,
      logger: this.logger,
      onEvent: (event) => this.events.push(event),
      ...this.runtimeOptions,
      ...overrides,
    });
    this.#runtimes.push(runtime);
    return runtime;
  }

  /** The `agent_task` of every `session_state` line in the thread's rollout file, in order. */
  async stateLines(threadId: string): Promise<(SessionAgentTask | null)[]> {
    const path = await this.rolloutStore.findRolloutPath(threadId);
    if (path === undefined) throw new Error(`thread ${threadId} has no rollout`);
    const { lines } = decodeRolloutLines(await readFile(path, 'utf8'));
    return lines.filter(isSessionStateLine).map((line) => line.payload.agent_task ?? null);
  }

  /** Sends a model request with `headers` to the backend's downstream endpoint; the HTTP status. */
  async downstreamStatus(headers: Readonly<Record<string, string>>): Promise<number> {
    const response = await fetch(this.backend.responsesUrl, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'reliability', input: 'hello', stream: true }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  async close(): Promise<void> {
    await Promise.all(this.#runtimes.map((runtime) => runtime.close()));
    await this.backend.close();
  }
}
