import type { AgentThread, TurnStart } from '@agent-identity/core';
import { describe, expect, it } from 'vitest';
import {
  CALL_SITES,
  persistentFaults,
  RUNTIME_UNDER_FAULT,
  type CallSite,
  type FaultCase,
  type Phase,
} from './fault-table.js';
import { FileRuntimeBed } from './file-runtime-bed.js';

/**
 * One test per (call site of `phase`, persistent fault): each gets a fresh bed (backend, file
 * stores, runtime options of the matrix) and runs `check`. All of them run concurrently: most of
 * their time is spent waiting for the client's timeouts.
 */
export function describePersistentFaults(
  phase: Phase,
  title: string,
  check: (bed: FileRuntimeBed, site: CallSite, faultCase: FaultCase) => Promise<void>,
): void {
  describe.concurrent.each(CALL_SITES.filter((site) => site.phase === phase))('a failing $name', (site) => {
    it.each(persistentFaults(site))(`$name: ${title}`, async (faultCase) => {
      await FileRuntimeBed.run({ runtime: RUNTIME_UNDER_FAULT }, (bed) => check(bed, site, faultCase));
    });
  });
}

/** The turn ended with the `TASK_REGISTRATION_FAILED` event of `thread`, whose message is `message`. */
export function expectTurnFailed(turn: TurnStart, thread: AgentThread, message: string): void {
  if (turn.ok) throw new Error('the turn succeeded under a persistent fault');
  expect(turn.event).toMatchObject({ type: 'error', code: 'TASK_REGISTRATION_FAILED', threadId: thread.id, message });
}

/** The turn after the fault cleared: a task, cached and written, whose assertion the backend accepts. */
export async function expectRecovered(bed: FileRuntimeBed, thread: AgentThread): Promise<void> {
  const turn = await thread.beginTurn();
  if (!turn.ok) throw new Error(`the turn after the fault cleared failed: ${turn.event.message}`);
  expect(turn.auth.scheme).toBe('assertion');
  expect((await bed.stateLines(thread.id)).at(-1)).toEqual(thread.task);
  expect(await bed.downstreamStatus(turn.auth.headers())).toBe(200);
}
