import type { AgentKeyRegistry, TaskRegistry, TaskStatus } from '@agent-identity/verifier';
import type { RegistryAdmin } from './registry-admin.js';
import { GatewayError } from './gateway-error.js';

/**
 * The registry the gateway verifies with: the agents' keys and the tasks' status, and, when it
 * keeps a copy, a way to drop it after a revocation made through the gateway.
 */
export type GatewayRegistry = AgentKeyRegistry & TaskRegistry & { invalidate?(): void };

export interface AdminApiRegistryOptions {
  /**
   * How old a copy of the backend's agents and tasks may be when a request is verified against
   * it: a revocation is honoured at most this much later. Default 250 ms; 0 reads the backend for
   * every request.
   */
  readonly maxStalenessMs?: number;
  /** The clock, epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

interface RegistrySnapshot {
  readonly takenAt: number;
  readonly agents: ReadonlyMap<string, { readonly publicKey: string; readonly revoked: boolean }>;
  readonly tasks: ReadonlyMap<string, { readonly agentRuntimeId: string; readonly revoked: boolean }>;
}

/**
 * A {@link GatewayRegistry} read from a {@link RegistryAdmin} (the backend's store, through its
 * admin API). One copy of the agents and tasks answers every request until it is
 * `maxStalenessMs` old; concurrent requests share one refresh. An agent or task the copy does not
 * know is looked up again at once: a client registers a task and calls with it in the same
 * breath (a recovery after a revocation does exactly that). A registry that cannot be read
 * rejects with `REGISTRY_UNAVAILABLE`: the gateway then refuses, it never lets a request through
 * unverified.
 */
export class AdminApiRegistry implements GatewayRegistry {
  readonly #admin: RegistryAdmin;
  readonly #maxStalenessMs: number;
  readonly #now: () => number;
  #snapshot: RegistrySnapshot | undefined;
  #refreshing: { readonly startedAt: number; readonly snapshot: Promise<RegistrySnapshot> } | undefined;

  constructor(admin: RegistryAdmin, options: AdminApiRegistryOptions = {}) {
    const maxStalenessMs = options.maxStalenessMs ?? 250;
    if (!Number.isInteger(maxStalenessMs) || maxStalenessMs < 0) {
      throw new GatewayError('OPTIONS_INVALID', 'maxStalenessMs must be a non-negative integer');
    }
    this.#admin = admin;
    this.#maxStalenessMs = maxStalenessMs;
    this.#now = options.now ?? Date.now;
  }

  async publicKey(agentRuntimeId: string): Promise<string | undefined> {
    const agent = await this.#lookUp((snapshot) => snapshot.agents.get(agentRuntimeId));
    // A revoked agent has no key: `unknown_agent`, as at the backend.
    return agent === undefined || agent.revoked ? undefined : agent.publicKey;
  }

  async taskStatus(agentRuntimeId: string, taskId: string): Promise<TaskStatus> {
    const task = await this.#lookUp((snapshot) => snapshot.tasks.get(taskId));
    if (task?.agentRuntimeId !== agentRuntimeId) return 'unknown';
    return task.revoked ? 'revoked' : 'active';
  }

  /** Forget the copy, so that the next request reads the registry again (after a revocation made here). */
  invalidate(): void {
    this.#snapshot = undefined;
  }

  /** `find` in a copy fresh enough, and once more in a new copy when that one does not know it. */
  async #lookUp<Entry>(find: (snapshot: RegistrySnapshot) => Entry | undefined): Promise<Entry | undefined> {
    const askedAt = this.#now();
    const snapshot = this.#snapshot;
    const fresh = snapshot !== undefined && askedAt - snapshot.takenAt < this.#maxStalenessMs;
    const found = fresh ? find(snapshot) : undefined;
    if (found !== undefined) return found;
    return find(await this.#refresh(askedAt));
  }

  /** A copy read no earlier than `since`: the read under way when it started then, else a new one. */
  #refresh(since: number): Promise<RegistrySnapshot> {
    const running = this.#refreshing;
    if (running !== undefined && running.startedAt >= since) return running.snapshot;
    const startedAt = this.#now();
    const snapshot = this.#read(startedAt).finally(() => {
      if (this.#refreshing?.snapshot === snapshot) this.#refreshing = undefined;
    });
    this.#refreshing = { startedAt, snapshot };
    return snapshot;
  }

  async #read(takenAt: number): Promise<RegistrySnapshot> {
    let agents, tasks;
    try {
      [agents, tasks] = await Promise.all([this.#admin.agents(), this.#admin.tasks()]);
    } catch (error) {
      throw new GatewayError('REGISTRY_UNAVAILABLE', 'the registry could not be read', {
        cause: error,
        isRetryable: true,
      });
    }
    const snapshot: RegistrySnapshot = {
      takenAt,
      agents: new Map(
        agents.map((agent) => [agent.agentRuntimeId, { publicKey: agent.publicKey, revoked: agent.revokedAt != null }]),
      ),
      tasks: new Map(
        tasks.map((task) => [task.taskId, { agentRuntimeId: task.agentRuntimeId, revoked: task.revokedAt != null }]),
      ),
    };
    // Reads may overlap: an older one finishing last must not replace a newer copy.
    if (this.#snapshot === undefined || this.#snapshot.takenAt <= takenAt) this.#snapshot = snapshot;
    return snapshot;
  }
}
