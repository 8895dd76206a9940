import { sessionStateLine, type RolloutLine } from '@agent-identity/protocol';
import { agentTaskEquals, agentTaskOfWire, wireAgentTask, type AgentTask } from './agent-task.js';
import { errorText } from '../runtime/events.js';
import type { Logger } from '../runtime/logger.js';
import type { NewestSessionState } from '../stores/rollout-store.js';
import { SerialQueue } from '../primitives/serial-queue.js';

export interface ThreadTaskStateOptions {
  readonly threadId: string;
  /** Appends lines to the thread's log; `undefined` for an ephemeral thread (writes nothing). */
  readonly append: ((lines: readonly RolloutLine[]) => Promise<void>) | undefined;
  readonly now: () => number;
  readonly logger: Logger;
}

export type TaskChangeListener = (task: AgentTask | undefined) => void;

/**
 * One thread's cached task and its `session_state` lines (SPEC §4.3). The write table lives in
 * `cache`, `invalidateTask` and `cachedTaskForCurrentIdentity` only:
 *
 * | what happened                        | line written |
 * |--------------------------------------|--------------|
 * | a new or different task cached       | the task     |
 * | a stale cached task discarded        | `null`       |
 * | the same task again                  | none         |
 * | restore, prewarm failure, reg. error | none         |
 *
 * The state changes synchronously (JavaScript's run-to-completion is the state lock); the append
 * runs after, through one queue per thread, so lines land in the order the state changed even
 * though no caller waits on another's write.
 */
export class ThreadTaskState {
  readonly #options: ThreadTaskStateOptions;
  readonly #writes = new SerialQueue();
  readonly #listeners = new Set<TaskChangeListener>();
  #task: AgentTask | undefined;

  constructor(options: ThreadTaskStateOptions) {
    this.#options = options;
  }

  get task(): AgentTask | undefined {
    return this.#task;
  }

  /** Calls `listener` on every change of the cached task; returns the unsubscribe function. */
  onChange(listener: TaskChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Caches `task`; writes its line unless it is already the cached task. */
  async cache(task: AgentTask): Promise<void> {
    if (agentTaskEquals(this.#task, task)) return;
    this.#set(task);
    await this.#append(task);
  }

  /** Compare-and-clear: clears (and writes `null`) only if `task` is still the cached task. */
  async invalidateTask(task: AgentTask): Promise<boolean> {
    if (this.#task === undefined || !agentTaskEquals(this.#task, task)) return false;
    this.#set(undefined);
    await this.#append(null);
    return true;
  }

  /**
   * The cached task if `matches` it (SPEC §4.2); a cached task that no longer matches is cleared
   * (the `null` line) and none is returned.
   */
  async cachedTaskForCurrentIdentity(matches: (task: AgentTask) => Promise<boolean>): Promise<AgentTask | undefined> {
    const task = this.#task;
    if (task === undefined) return undefined;
    if (await matches(task)) return task;
    await this.invalidateTask(task);
    return undefined;
  }

  /**
   * SPEC §4.5 step 1, never writing: no state line → untouched; `null` → cleared; a task → kept if
   * `matches` it, else cleared.
   */
  async restore(newest: NewestSessionState, matches: (task: AgentTask) => Promise<boolean>): Promise<void> {
    if (!newest.found) return;
    const task = agentTaskOfWire(newest.agentTask);
    const keep = task !== null && (await matches(task));
    this.#set(keep ? task : undefined);
  }

  #set(task: AgentTask | undefined): void {
    const changed = !agentTaskEquals(this.#task, task);
    this.#task = task;
    if (!changed) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(task);
      } catch (error) {
        this.#options.logger.error('agent identity: a task change listener threw', {
          threadId: this.#options.threadId,
          error: errorText(error),
        });
      }
    }
  }

  /**
   * Appends the `session_state` line. A failed append is logged, not thrown: the task is valid and
   * cached; only a later resume could miss it (and would then register a new one).
   */
  async #append(task: AgentTask | null): Promise<void> {
    const { append, threadId, now, logger } = this.#options;
    if (append === undefined) return;
    const line = sessionStateLine(task === null ? null : wireAgentTask(task), now());
    try {
      await this.#writes.run(() => append([line]));
    } catch (error) {
      logger.warn('agent identity: could not record the task in the rollout', { threadId, error: errorText(error) });
    }
  }
}
