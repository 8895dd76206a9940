import type { AgentTask, AgentThread, RuntimeOptions, TurnAuth } from '@agent-identity/core';
import { ALICE, closeRuntimeBeds, RuntimeBed } from '@agent-identity/test-bed';
import { expect } from 'vitest';

/** The user these tests log in as (the bed's default login). */
export const USER = ALICE;

/** The shared runtime bed, with the turns these tests begin. Closed (with a leak check) by {@link closeTestBeds}. */
export class TestBed extends RuntimeBed {
  /** A started thread (ChatGPT login: its task registered by the turn) and its first turn's auth. */
  async turn(overrides: Partial<RuntimeOptions> = {}): Promise<{ thread: AgentThread; auth: TurnAuth }> {
    const thread = await this.runtime(overrides).startThread();
    return { thread, auth: await this.turnAuth(thread) };
  }

  /** A started thread whose task the prewarm registered, and the auth of a turn on it. */
  async taskThread(): Promise<{ thread: AgentThread; task: AgentTask; auth: TurnAuth }> {
    const thread = await this.runtime().startThread();
    await thread.prewarmed;
    const task = thread.task;
    if (task === undefined) throw new Error('prewarm registered no task');
    return { thread, task, auth: await this.turnAuth(thread) };
  }
}

/** For `afterEach`: no access token in any log line or event, then every bed of the test closed. */
export function closeTestBeds(): Promise<void> {
  return closeRuntimeBeds((bed) => {
    expect(bed.seen()).not.toContain(USER.accessToken);
  });
}
