import { isSessionStateLine, newestAgentTaskOfLines, type RolloutLine } from '@agent-identity/protocol';
import { promiseTry } from '../primitives/promise-try.js';
import type { CreateThreadOptions, NewestSessionState, RolloutStore } from './rollout-store.js';
import { sessionMetaLine } from './session-meta.js';
import { assertValidThreadId, threadExists, threadNotFound } from './thread-id.js';

export interface MemoryRolloutStoreOptions {
  /** Epoch milliseconds for `session_meta` timestamps. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A {@link RolloutStore} in memory, with the file store's semantics (it passes the same
 * conformance suite): for tests and for hosts whose threads are not persisted. Lines are copied
 * in and out, so callers can neither change a stored line nor see one change under them.
 */
export class MemoryRolloutStore implements RolloutStore {
  readonly #threads = new Map<string, RolloutLine[]>();
  readonly #now: () => number;

  constructor(options: MemoryRolloutStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  createThread(threadId: string, options: CreateThreadOptions = {}): Promise<void> {
    return promiseTry(() => {
      assertValidThreadId(threadId);
      if (this.#threads.has(threadId)) throw threadExists(threadId);
      const inherited =
        options.forkedFrom === undefined
          ? []
          : this.lines(options.forkedFrom).filter((line) => !isSessionStateLine(line));
      this.#threads.set(threadId, [sessionMetaLine(threadId, this.#now(), options), ...inherited]);
    });
  }

  hasThread(threadId: string): Promise<boolean> {
    return promiseTry(() => {
      assertValidThreadId(threadId);
      return this.#threads.has(threadId);
    });
  }

  append(threadId: string, lines: readonly RolloutLine[]): Promise<void> {
    return promiseTry(() => {
      this.#linesOf(threadId).push(...lines.map((line) => structuredClone(line)));
    });
  }

  newestSessionState(threadId: string): Promise<NewestSessionState> {
    return promiseTry(() => {
      const task = newestAgentTaskOfLines(this.#linesOf(threadId));
      return task === undefined ? { found: false } : { found: true, agentTask: structuredClone(task) };
    });
  }

  /** A copy of the thread's lines, oldest first. Throws `THREAD_NOT_FOUND` if unknown. */
  lines(threadId: string): RolloutLine[] {
    return this.#linesOf(threadId).map((line) => structuredClone(line));
  }

  /** The ids of every thread, in creation order. */
  threadIds(): string[] {
    return [...this.#threads.keys()];
  }

  #linesOf(threadId: string): RolloutLine[] {
    assertValidThreadId(threadId);
    const lines = this.#threads.get(threadId);
    if (lines === undefined) throw threadNotFound(threadId);
    return lines;
  }
}
