import { expect } from 'vitest';
import { describePersistentFaults, expectRecovered, expectTurnFailed } from './support/fault-matrix.js';
import { faultsApplied, identityEventText, MAX_ATTEMPTS, PERSISTENT, taskEventText } from './support/fault-table.js';

// Faults while the identity registers (biscuit, agent registration): they hit the thread's
// background registration first, then every turn, until they clear.
describePersistentFaults(
  'identity',
  'one registration event, the turn event with the SPEC text after bounded attempts, nothing stored or written, then recovery',
  async (bed, site, { fault, retryable, text }) => {
    bed.backend.admin.injectFault(site.endpoint, fault, { times: PERSISTENT });
    const error = text(site.url(bed.backend, undefined));

    const thread = await bed.runtime().startThread();
    await thread.prewarmed;
    expect(bed.events).toHaveLength(1);
    expect(bed.events[0]).toMatchObject({
      type: 'error',
      code: 'IDENTITY_REGISTRATION_FAILED',
      threadId: thread.id,
      message: identityEventText(error),
    });

    const attemptsBefore = faultsApplied(bed.backend, site.endpoint);
    expectTurnFailed(await thread.beginTurn(), thread, taskEventText(error));
    expect(faultsApplied(bed.backend, site.endpoint) - attemptsBefore).toBe(retryable ? MAX_ATTEMPTS : 1);
    expect(bed.events).toHaveLength(2);
    expect(thread.task).toBeUndefined();
    expect(await bed.identityStore.load()).toBeUndefined();
    expect(await bed.stateLines(thread.id)).toEqual([]);

    bed.backend.admin.clearFaults();
    await expectRecovered(bed, thread);
    expect(await bed.stateLines(thread.id)).toHaveLength(1);
    expect((await bed.identityStore.load())?.agent_runtime_id).toBe(thread.task?.agentRuntimeId);
    expect(bed.events).toHaveLength(2);
  },
);
