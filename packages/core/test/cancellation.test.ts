import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_LOGGED_IN } from '../src/runtime/not-logged-in-notice.js';
import type { AgentThread } from '../src/thread/thread.js';
import { closeHarnesses, Harness } from './support/harness.js';
import { ALICE, loginOf } from './support/users.js';

afterEach(closeHarnesses);

/** What `fetch` rejects with when its signal is aborted without a reason. */
const ABORT_ERROR = expect.objectContaining({ name: 'AbortError' }) as unknown;

/** Resolves once the backend has taken the hang fault: the registration is on the wire, unanswered. */
async function hangingRegistration(harness: Harness): Promise<void> {
  while (harness.backend.admin.faults().length > 0) await nextTurn();
}

/** A thread whose prewarmed task was dropped, with the next task registration hanging at the backend. */
async function threadAboutToRegister(harness: Harness): Promise<AgentThread> {
  const thread = await harness.runtime().startThread();
  await thread.prewarmed;
  const task = thread.task;
  if (task === undefined) throw new Error('prewarm registered no task');
  await thread.invalidateTask(task);
  harness.backend.admin.injectFault('task_register', { kind: 'hang' });
  return thread;
}

describe('cancelling a wait with { signal }', () => {
  it('beginTurn: a hanging registration rejects with AbortError, emits nothing, and the next turn registers', async () => {
    const harness = await Harness.start();
    const thread = await threadAboutToRegister(harness);
    const controller = new AbortController();
    const turn = thread.beginTurn({ signal: controller.signal });
    await hangingRegistration(harness);
    controller.abort();

    await expect(turn).rejects.toEqual(ABORT_ERROR);
    expect(harness.events).toEqual([]);
    const next = await thread.beginTurn();
    expect(next.ok && next.auth.scheme).toBe('assertion');
    expect(thread.task).toBeDefined();
  });

  it('ensureTask: rejects with the reason given to abort(), and a later call registers', async () => {
    const harness = await Harness.start();
    const thread = await threadAboutToRegister(harness);
    const controller = new AbortController();
    const ensured = thread.ensureTask({ signal: controller.signal });
    await hangingRegistration(harness);
    const reason = new Error('the user closed the tab');
    controller.abort(reason);

    await expect(ensured).rejects.toBe(reason);
    expect(await thread.ensureTask()).toEqual(thread.task);
    expect(thread.task).toBeDefined();
  });

  it('an already aborted signal: startThread, resumeThread, forkThread and beginTurn reject at once; the runtime stays usable', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    const thread = await runtime.startThread();
    const signal = AbortSignal.abort();
    const registrationsBefore = harness.counters().taskRegistrations;

    await expect(runtime.startThread({ signal })).rejects.toEqual(ABORT_ERROR);
    await expect(runtime.resumeThread(thread.id, { signal })).rejects.toEqual(ABORT_ERROR);
    await expect(runtime.forkThread(thread.id, { signal })).rejects.toEqual(ABORT_ERROR);
    await thread.prewarmed;
    await thread.invalidateTask(thread.task ?? expect.fail('no task'));
    await expect(thread.beginTurn({ signal })).rejects.toEqual(ABORT_ERROR);
    expect(harness.counters().taskRegistrations).toBe(registrationsBefore + 1);

    const resumed = await runtime.resumeThread(thread.id);
    const turn = await resumed.beginTurn();
    expect(turn.ok && turn.auth.scheme).toBe('assertion');
    expect(harness.events).toEqual([]);
  });
});

describe('nobody logged in', () => {
  it('beginTurn answers scheme none and warns NOT_LOGGED_IN once per stretch without a login', async () => {
    const harness = await Harness.start({ login: null });
    const runtime = harness.runtime();
    const [first, second] = [await runtime.startThread(), await runtime.startThread()];
    const turns = [await first.beginTurn(), await second.beginTurn(), await first.beginTurn()];
    for (const turn of turns) expect(turn.ok && turn.auth.scheme).toBe('none');
    const notLoggedIn = () => harness.logger.at('warn').filter((line) => line.fields?.code === NOT_LOGGED_IN);
    expect(notLoggedIn()).toHaveLength(1);
    expect(notLoggedIn()[0]?.message).toContain('nobody is logged in');

    harness.setLogin(loginOf(ALICE));
    expect((await first.beginTurn()).ok).toBe(true);
    harness.setLogin(undefined);
    await second.beginTurn();
    expect(notLoggedIn()).toHaveLength(2);
  });
});
