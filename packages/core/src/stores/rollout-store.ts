import type { RolloutLine, SessionAgentTask } from '@agent-identity/protocol';

/** The newest `session_state` of a thread's log (SPEC §4.5 step 1). */
export type NewestSessionState =
  /** The log has no `session_state` line at all. */
  | { readonly found: false }
  /** The newest `session_state` line: a task, or `null` (cleared). */
  | { readonly found: true; readonly agentTask: SessionAgentTask | null };

export interface CreateThreadOptions {
  /** Extra `session_meta` payload fields (the store sets `id` and `timestamp`). */
  readonly meta?: Readonly<Record<string, unknown>>;
  /**
   * Copy this thread's log into the new one, minus every `session_state` line: a fork never
   * inherits its parent's task (SPEC §4.5).
   */
  readonly forkedFrom?: string;
}

/**
 * The threads' append-only logs (SPEC §2.1). Every implementation passes
 * `describeRolloutStoreConformance` from `@agent-identity/core/testing`.
 */
export interface RolloutStore {
  /** Creates the thread's log, starting with its `session_meta` line. `THREAD_EXISTS` if taken. */
  createThread(threadId: string, options?: CreateThreadOptions): Promise<void>;
  hasThread(threadId: string): Promise<boolean>;
  /**
   * Appends `lines` in order; resolves once they are durable. Each line is written whole (a crash
   * leaves at most a torn last line, never two lines interleaved). `THREAD_NOT_FOUND` if unknown.
   */
  append(threadId: string, lines: readonly RolloutLine[]): Promise<void>;
  /**
   * The newest `session_state` line, found without reading the whole log when it is near the
   * end. A torn last line is skipped (with a warning), never fatal.
   */
  newestSessionState(threadId: string): Promise<NewestSessionState>;
}
