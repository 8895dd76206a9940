import type { AgentThread } from '@agent-identity/core';
import { describe, expect, it } from 'vitest';
import { CALL_SITES, faultsApplied, RUNTIME_UNDER_FAULT, transientFaults } from './support/fault-table.js';
import { FileRuntimeBed } from './support/file-runtime-bed.js';
import { RecordingTimers } from './support/recording-timers.js';

// A retryable fault that happens once is ridden out by the bounded retry inside one call: the
// prewarm (identity phase) or the turn (task phase) succeeds, and nobody sees an event.

/** The thread's first task after a prewarm that must succeed. */
async function prewarmedTask(thread: AgentThread) {
  await thread.prewarmed;
  if (thread.task === undefined) throw new Error('the thread did not prewarm a task');
  return thread.task;
}

describe.concurrent.each(CALL_SITES)('a $name that fails once', (site) => {
  it.each(transientFaults())(
    '$name: ridden out within the same call — no event, the new task cached and written once',
    async ({ fault, retryAfterMs }) => {
      await FileRuntimeBed.run({ runtime: RUNTIME_UNDER_FAULT }, async (bed) => {
        const timers = new RecordingTimers();
        const runtime = bed.runtime({ timers });
        if (site.phase === 'identity') {
          bed.backend.admin.injectFault(site.endpoint, fault);
          const thread = await runtime.startThread();
          const task = await prewarmedTask(thread);
          expect(await bed.stateLines(thread.id)).toEqual([task]);
          expect(await bed.backend.admin.agents()).toHaveLength(1);
        } else {
          const thread = await runtime.startThread();
          const first = await prewarmedTask(thread);
          await thread.invalidateTask(first);
          bed.backend.admin.injectFault(site.endpoint, fault);
          const turn = await thread.beginTurn();
          expect(turn.ok && turn.auth.scheme).toBe('assertion');
          expect(await bed.stateLines(thread.id)).toEqual([first, null, thread.task]);
        }
        expect(faultsApplied(bed.backend, site.endpoint)).toBe(1);
        expect(bed.backend.admin.faults()).toEqual([]);
        expect(bed.events).toEqual([]);
        if (retryAfterMs !== undefined) expect(timers.delays).toContain(retryAfterMs);
      });
    },
  );
});
