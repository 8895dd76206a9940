import { LruCache, type AgentKeyRegistry, type TaskRegistry, type TaskStatus } from '@agent-identity/verifier';
import type { RegistryChange } from './records.js';
import { RegistryError } from './registry-error.js';
import type { RegistryStore } from './registry-store.js';

/** The store reads a {@link CachedRegistry} answers from, and the changes that invalidate them. */
export type CachedRegistrySource = Pick<RegistryStore, 'activePublicKey' | 'taskStatus' | 'subscribe'>;

export interface CachedRegistryOptions {
  /** Keys and task statuses kept at most (each, least recently used dropped first). Default 10 000. */
  maxEntries?: number;
}

function taskKey(agentRuntimeId: string, taskId: string): string {
  return `${agentRuntimeId}\n${taskId}`;
}

/**
 * The verifier's key and task registries (`createAgentVerifier({ keys: r, tasks: r })`) over a
 * registry store, with a bounded cache dropped by the store's changes: a revocation on any instance
 * reaches this one as soon as its notification does. Only what can be trusted to last is cached —
 * a key, an active or revoked task; an unknown one is asked again (another instance may register
 * it next). A read that raced a change is not cached (a generation counter tells).
 */
export class CachedRegistry implements AgentKeyRegistry, TaskRegistry, Disposable {
  readonly #source: CachedRegistrySource;
  readonly #keys: LruCache<string, string>;
  readonly #tasks: LruCache<string, TaskStatus>;
  readonly #unsubscribe: () => void;
  #generation = 0;

  /** Throws `REGISTRY_OPTIONS_INVALID` for a `maxEntries` that is not a non-negative integer. */
  constructor(source: CachedRegistrySource, options: CachedRegistryOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 0) {
      throw new RegistryError(
        'REGISTRY_OPTIONS_INVALID',
        `options.maxEntries must be a non-negative integer, got ${maxEntries}`,
      );
    }
    this.#source = source;
    this.#keys = new LruCache(maxEntries);
    this.#tasks = new LruCache(maxEntries);
    this.#unsubscribe = source.subscribe((change) => {
      this.forget(change);
    });
  }

  /** Cached keys and task statuses, for tests and metrics. */
  get size(): number {
    return this.#keys.size + this.#tasks.size;
  }

  async publicKey(agentRuntimeId: string): Promise<string | undefined> {
    const cached = this.#keys.get(agentRuntimeId);
    if (cached !== undefined) return cached;
    const generation = this.#generation;
    const key = await this.#source.activePublicKey(agentRuntimeId);
    if (key !== undefined && generation === this.#generation) this.#keys.set(agentRuntimeId, key);
    return key;
  }

  async taskStatus(agentRuntimeId: string, taskId: string): Promise<TaskStatus> {
    const cacheKey = taskKey(agentRuntimeId, taskId);
    const cached = this.#tasks.get(cacheKey);
    if (cached !== undefined) return cached;
    const generation = this.#generation;
    const status = await this.#source.taskStatus(agentRuntimeId, taskId);
    if (status !== 'unknown' && generation === this.#generation) this.#tasks.set(cacheKey, status);
    return status;
  }

  /** Stops listening for changes (the cache then goes stale: stop using it). */
  [Symbol.dispose](): void {
    this.#unsubscribe();
  }

  /**
   * Drops what `change` makes stale. The store's notifications call it; a caller that made the
   * change calls it too, so its own next answer cannot come from the cache before the notice does.
   */
  forget(change: RegistryChange): void {
    this.#generation += 1;
    if (change.kind === 'agent_revoked') {
      // Its tasks may stay cached: the key lookup comes first and now refuses the agent.
      this.#keys.delete(change.agentRuntimeId);
    } else if (change.kind === 'task_revoked') {
      this.#tasks.delete(taskKey(change.agentRuntimeId, change.taskId));
    } else {
      this.#keys.clear();
      this.#tasks.clear();
    }
  }
}
