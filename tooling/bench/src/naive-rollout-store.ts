import { readFile } from 'node:fs/promises';
import type { CreateThreadOptions, FileRolloutStore, NewestSessionState, RolloutStore } from '@agent-identity/core';
import { decodeRolloutLines, newestAgentTaskOfLines, type RolloutLine } from '@agent-identity/protocol';

/**
 * The naive resume, for comparison: the file rollout store in every respect but one — the newest
 * `session_state` is found by reading the whole file and decoding every line (what Codex does).
 */
export class NaiveRolloutStore implements RolloutStore {
  #bytesRead = 0;

  constructor(private readonly store: FileRolloutStore) {}

  get bytesRead(): number {
    return this.#bytesRead;
  }

  createThread(threadId: string, options?: CreateThreadOptions): Promise<void> {
    return this.store.createThread(threadId, options);
  }

  hasThread(threadId: string): Promise<boolean> {
    return this.store.hasThread(threadId);
  }

  append(threadId: string, lines: readonly RolloutLine[]): Promise<void> {
    return this.store.append(threadId, lines);
  }

  async newestSessionState(threadId: string): Promise<NewestSessionState> {
    const path = await this.store.findRolloutPath(threadId);
    if (path === undefined) throw new Error(`no rollout for thread ${threadId}`);
    const bytes = await readFile(path);
    this.#bytesRead += bytes.length;
    const task = newestAgentTaskOfLines(decodeRolloutLines(bytes.toString('utf8')).lines);
    return task === undefined ? { found: false } : { found: true, agentTask: task };
  }
}
