import { expect } from 'vitest';
import { describePersistentFaults, expectRecovered, expectTurnFailed } from './support/fault-matrix.js';
import { faultsApplied, MAX_ATTEMPTS, PERSISTENT, taskEventText } from './support/fault-table.js';

// Faults while a task registers (biscuit, task registration) for a registered identity: the
// thread's prewarmed task is invalidated (as after a downstream "task invalid"), so the next turn
// must register a new one, and that registration fails until the fault clears.
describePersistentFaults(
  'task',
  'the turn event with the SPEC text after bounded attempts, no task cached, no line written, then recovery',
  async (bed, site, { name, fault, retryable, text }) => {
    const thread = await bed.runtime().startThread();
    await thread.prewarmed;
    const first = thread.task;
    if (first === undefined) throw new Error('the thread did not prewarm a task');
    expect(await thread.invalidateTask(first)).toBe(true);

    bed.backend.admin.injectFault(site.endpoint, fault, { times: PERSISTENT });
    const error = text(site.url(bed.backend, first.agentRuntimeId));
    const attemptsBefore = faultsApplied(bed.backend, site.endpoint);
    const tasksBefore = (await bed.backend.admin.tasks()).length;
    expectTurnFailed(await thread.beginTurn(), thread, taskEventText(error));
    expect(faultsApplied(bed.backend, site.endpoint) - attemptsBefore).toBe(retryable ? MAX_ATTEMPTS : 1);
    expect(bed.events).toHaveLength(1);
    expect(thread.task).toBeUndefined();
    expect(await bed.stateLines(thread.id)).toEqual([first, null]);
    // A sealed box that does not open leaves a task the backend registered and the thread never caches.
    expect((await bed.backend.admin.tasks()).length - tasksBefore).toBe(name === 'tampered sealed box' ? 1 : 0);

    bed.backend.admin.clearFaults();
    await expectRecovered(bed, thread);
    expect(thread.task?.taskId).not.toBe(first.taskId);
    expect(await bed.stateLines(thread.id)).toEqual([first, null, thread.task]);
    expect(bed.events).toHaveLength(1);
  },
);
