import type { AgentIdentityRuntime, AgentThread, RuntimeOptions } from '@agent-identity/core';
import type { ReferenceBackend, ReferenceBackendOptions } from '@agent-identity/reference-backend';
import { closeRuntimeBeds, RuntimeBed, type RuntimeBedOptions } from '@agent-identity/test-bed';
import { AgentSocketPool, type SocketPoolThread } from '../../src/agent-socket-pool.js';
import type { AgentSocketPoolOptions } from '../../src/pool-options.js';

/**
 * The shared runtime bed on real rollout files, logged in as Alice, with the threads and socket
 * pools these tests use; every pool made here is closed by `close()`.
 */
export class AgentHarness extends RuntimeBed {
  /** The runtime of `thread()`; `runtime()` makes another on the same stores (another process). */
  readonly mainRuntime: AgentIdentityRuntime;
  readonly #pools: AgentSocketPool[] = [];

  constructor(backend: ReferenceBackend, home: string, options: RuntimeBedOptions) {
    super(backend, home, options);
    this.mainRuntime = this.runtime();
  }

  /** A thread whose background registration and prewarm are done. */
  async thread(): Promise<AgentThread> {
    const thread = await this.mainRuntime.startThread();
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

  pool(thread: SocketPoolThread, options: Partial<AgentSocketPoolOptions> = {}): AgentSocketPool {
    const pool = new AgentSocketPool(thread, { url: this.backend.websocketUrl, logger: this.logger, ...options });
    this.#pools.push(pool);
    return pool;
  }

  override async close(): Promise<void> {
    await Promise.all(this.#pools.map((pool) => pool.close()));
    await super.close();
  }
}

/** A harness whose runtimes take `overrides`, on a backend started with `backendOptions`. */
export function startAgentHarness(
  overrides: Partial<RuntimeOptions> = {},
  backendOptions: ReferenceBackendOptions = {},
): Promise<AgentHarness> {
  return AgentHarness.start({ rolloutStore: 'file', runtime: overrides, backend: backendOptions });
}

/** For `afterEach`: closes every harness the test started. */
export function closeAgentHarnesses(): Promise<void> {
  return closeRuntimeBeds();
}
