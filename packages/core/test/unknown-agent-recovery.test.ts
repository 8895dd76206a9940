import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serializeAuthFile, type AgentIdentityRecord } from '@agent-identity/protocol';
import type { Fault, FaultEndpoint } from '@agent-identity/reference-backend';
import { afterEach, describe, expect, it } from 'vitest';
import { FileIdentityStore } from '../src/stores/file-identity-store.js';
import type { AgentThread, TurnStart } from '../src/thread/thread.js';
import { codexAuthFile } from './support/codex-auth-file.js';
import { closeHarnesses, Harness } from './support/harness.js';
import { stateLines } from './support/threads.js';
import { MemoryAuthSource } from '../src/stores/memory-auth-source.js';
import { MemoryIdentityStore } from '../src/stores/memory-identity-store.js';
import { ALICE, BOB, loginOf } from './support/users.js';
import { useTempFolder } from './temp-folder.js';

// registered first so that it runs last: harnesses close before their folder goes away
const home = useTempFolder();
afterEach(closeHarnesses);

const RECOVERY_WARNING =
  'agent identity: the backend does not accept the stored identity (unknown_agent); registering a new one';

const authPath = () => join(home.path, 'auth.json');

/** A harness on a Codex auth file (Alice's login and the keys of other software) in `home`. */
async function authFileHarness(options: Parameters<typeof Harness.start>[0] = {}): Promise<Harness> {
  await writeFile(authPath(), serializeAuthFile(codexAuthFile(ALICE)), { mode: 0o600 });
  return Harness.start({ identityStore: new FileIdentityStore({ path: authPath() }), ...options });
}

/** The auth file's keys other than our slot, and our record. */
async function authFile(): Promise<{ others: Record<string, unknown>; record: AgentIdentityRecord | undefined }> {
  const { agent_identity: record, ...others } = JSON.parse(await readFile(authPath(), 'utf8')) as Record<
    string,
    unknown
  >;
  return { others, record: record as AgentIdentityRecord | undefined };
}

function turnTask(turn: TurnStart) {
  if (!turn.ok) throw new Error(turn.event.message);
  if (turn.auth.task === undefined) throw new Error('the turn has no task');
  return turn.auth.task;
}

/** A prewarmed thread whose task has been dropped, so that its next turn registers one. */
async function threadWithoutTask(harness: Harness): Promise<AgentThread> {
  const thread = await harness.runtime().startThread();
  await thread.prewarmed;
  if (thread.task !== undefined) await thread.invalidateTask(thread.task);
  return thread;
}

/** Holds the first `count` task registrations until all of them are on their way. */
function holdTaskRegistrationsUntil(harness: Harness, count: number): void {
  let arrived = 0;
  let release: () => void = () => undefined;
  const allArrived = new Promise<void>((resolve) => {
    release = resolve;
  });
  harness.recording.beforeCall = async (call) => {
    if (!call.url.endsWith('/task/register') || arrived >= count) return;
    arrived += 1;
    if (arrived === count) release();
    await allArrived;
  };
}

describe('a revoked identity (beyond Codex: recovery when the backend forgets the agent)', () => {
  it('the next turn registers one new identity and a new task; the auth file keeps its other keys', async () => {
    const harness = await authFileHarness();
    const oldThread = await harness.runtime().startThread();
    await oldThread.prewarmed;
    const oldTask = oldThread.task;
    const revoked = oldTask?.agentRuntimeId ?? '';
    await harness.backend.admin.revokeAgent(revoked);

    const later = harness.runtime(); // a later process on the same auth file
    const turn = await (await later.startThread()).beginTurn();
    const task = turnTask(turn);
    const { others, record } = await authFile();
    expect(task.agentRuntimeId).not.toBe(revoked);
    expect(record?.agent_runtime_id).toBe(task.agentRuntimeId);
    expect(others).toEqual(codexAuthFile(ALICE));
    expect(harness.counters()).toMatchObject({ agentRegistrations: 2, taskRegistrations: 2 });
    expect((await harness.backend.admin.agents()).filter((agent) => agent.revokedAt === null)).toHaveLength(1);
    const header = turn.ok ? turn.auth.authorizationHeader() : undefined;
    expect(await harness.backend.admin.verify(header ?? '')).toMatchObject({ ok: true });
    expect(harness.logger.at('warn')).toEqual([
      { level: 'warn', message: RECOVERY_WARNING, fields: { agentRuntimeId: revoked, deleted: true } },
    ]);
    expect(harness.events).toEqual([]);

    // the old thread's cached task is the old runtime's: cleared (one null line), then replaced
    const oldThreadTurn = turnTask(await oldThread.beginTurn());
    expect(oldThreadTurn.agentRuntimeId).toBe(task.agentRuntimeId);
    expect(stateLines(harness, oldThread.id)).toEqual([oldTask, null, oldThreadTurn]);
    expect(harness.counters()).toMatchObject({ agentRegistrations: 2, taskRegistrations: 3 });
  });

  it('a turn whose task was dropped recovers in the same turn, with no error event', async () => {
    const harness = await Harness.start();
    const thread = await threadWithoutTask(harness);
    const revoked = (await harness.identityStore.load())?.agent_runtime_id ?? '';
    await harness.backend.admin.revokeAgent(revoked);

    const task = turnTask(await thread.beginTurn());
    expect(task.agentRuntimeId).not.toBe(revoked);
    expect(harness.counters()).toMatchObject({ agentRegistrations: 2, taskRegistrations: 2 });
    expect(harness.recording.callsTo('/task/register').map((call) => call.url.includes(revoked))).toEqual([
      true,
      true,
      false,
    ]);
    expect(harness.events).toEqual([]);
  });

  it('a fresh backend that never saw the stored identity: a new identity, the resumed thread re-registers', async () => {
    const before = await authFileHarness();
    const thread = await before.runtime().startThread();
    await thread.prewarmed;
    const oldTask = thread.task;
    // the backend lost its data: a new one, with the same auth file and rollouts
    const harness = await Harness.start({
      identityStore: new FileIdentityStore({ path: authPath() }),
      rolloutStore: before.rolloutStore,
    });
    const runtime = harness.runtime();
    const resumed = await runtime.resumeThread(thread.id);
    expect(resumed.task).toEqual(oldTask); // restore cannot know: the stored identity still matches

    const task = turnTask(await (await runtime.startThread()).beginTurn());
    expect(task.agentRuntimeId).not.toBe(oldTask?.agentRuntimeId);
    expect(harness.counters()).toMatchObject({ agentRegistrations: 1, taskRegistrations: 1 });
    const { others, record } = await authFile();
    expect(others).toEqual(codexAuthFile(ALICE));
    expect(record?.agent_runtime_id).toBe(task.agentRuntimeId);

    const resumedTask = turnTask(await resumed.beginTurn());
    expect(resumedTask.agentRuntimeId).toBe(task.agentRuntimeId);
    expect(stateLines(harness, thread.id)).toEqual([oldTask, null, resumedTask]);
    expect(harness.counters()).toMatchObject({ agentRegistrations: 1, taskRegistrations: 2 });
    expect(harness.events).toEqual([]);
  });
});

describe('what counts as "the agent is unknown": 404 and error code unknown_agent, from the task registration', () => {
  const notUnknownAgent: readonly { name: string; endpoint: FaultEndpoint; fault: Fault }[] = [
    {
      name: 'a generic 404 with a plain body',
      endpoint: 'task_register',
      fault: { kind: 'status', status: 404, body: 'Not Found' },
    },
    {
      name: 'a 404 with another error code',
      endpoint: 'task_register',
      fault: { kind: 'status', status: 404, body: { error: { code: 'not_found', message: 'no route' } } },
    },
    {
      name: 'unknown_agent with another status (401)',
      endpoint: 'task_register',
      fault: { kind: 'status', status: 401, body: { error: { code: 'unknown_agent', message: 'who?' } } },
    },
    {
      name: 'a 404 unknown_agent from the biscuit endpoint',
      endpoint: 'biscuit',
      fault: { kind: 'status', status: 404, body: { error: { code: 'unknown_agent', message: 'who?' } } },
    },
  ];

  it.each(notUnknownAgent)(
    '$name does not delete the identity: the turn fails as before',
    async ({ endpoint, fault }) => {
      const harness = await authFileHarness();
      const thread = await threadWithoutTask(harness);
      const stored = await authFile();
      harness.backend.admin.injectFault(endpoint, fault);

      const turn = await thread.beginTurn();
      expect(!turn.ok && turn.event.code).toBe('TASK_REGISTRATION_FAILED');
      expect(!turn.ok && turn.event.message).toContain(
        `failed with status ${fault.kind === 'status' ? fault.status : 0}`,
      );
      expect(await authFile()).toEqual(stored);
      expect(harness.counters().agentRegistrations).toBe(1);
      expect(harness.logger.at('warn').map((line) => line.message)).not.toContain(RECOVERY_WARNING);

      expect(turnTask(await thread.beginTurn()).agentRuntimeId).toBe(stored.record?.agent_runtime_id);
    },
  );

  it('recovers at most once per call: unknown_agent again after the new identity fails the turn, no loop', async () => {
    const harness = await Harness.start();
    const thread = await threadWithoutTask(harness);
    const unknownAgent = { error: { code: 'unknown_agent', message: 'agent is not registered' } };
    harness.backend.admin.injectFault(
      'task_register',
      { kind: 'status', status: 404, body: unknownAgent },
      { times: 2 },
    );

    const failed = await thread.beginTurn();
    expect(!failed.ok && failed.event.message).toContain('agent task registration failed with status 404');
    expect(harness.counters().agentRegistrations).toBe(2);
    expect(harness.recording.callsTo('/task/register')).toHaveLength(3); // prewarm, the refused call, its one retry

    const next = turnTask(await thread.beginTurn());
    expect(next.agentRuntimeId).toBe((await harness.identityStore.load())?.agent_runtime_id);
    expect(harness.counters().agentRegistrations).toBe(2);
  });
});

describe('an inconsistent record (issue 11 item 7): its runtime id is not its key’s, so every task registration is refused', () => {
  /** Registers an agent of `user` at the harness's backend through a runtime with a store of its own; its runtime id. */
  async function agentOf(harness: Harness, user: typeof ALICE): Promise<string> {
    const runtime = harness.runtime({
      identityStore: new MemoryIdentityStore(),
      authSource: new MemoryAuthSource(loginOf(user)),
    });
    return (await runtime.ensureIdentity())?.agentRuntimeId ?? '';
  }

  it.each([
    { refusal: 'bad_signature', status: 401, owner: ALICE, whose: 'another agent of the same user' },
    { refusal: 'forbidden', status: 403, owner: BOB, whose: 'an agent of another user' },
  ])(
    'the runtime id of $whose ($status $refusal): replaced once under the lock, the turn succeeds',
    async ({ refusal, owner }) => {
      const harness = await authFileHarness();
      const thread = await threadWithoutTask(harness);
      const stored = (await authFile()).record?.agent_runtime_id ?? '';
      const foreign = await agentOf(harness, owner);
      await writeFile(authPath(), (await readFile(authPath(), 'utf8')).replaceAll(stored, foreign));
      const registrationsBefore = harness.counters().agentRegistrations;

      const task = turnTask(await thread.beginTurn());

      expect(task.agentRuntimeId).not.toBe(foreign);
      expect((await authFile()).record?.agent_runtime_id).toBe(task.agentRuntimeId);
      expect(harness.counters().agentRegistrations - registrationsBefore).toBe(1);
      expect(harness.logger.at('warn')).toContainEqual({
        level: 'warn',
        message: `agent identity: the backend does not accept the stored identity (${refusal}); registering a new one`,
        fields: { agentRuntimeId: foreign, deleted: true },
      });
      expect(harness.events).toEqual([]);
    },
  );
});

describe('concurrent recoveries register one identity', () => {
  it('two threads of one runtime refused at the same time', async () => {
    const harness = await Harness.start();
    const revoked = (await harness.runtime().ensureIdentity())?.agentRuntimeId ?? '';
    await harness.backend.admin.revokeAgent(revoked);
    holdTaskRegistrationsUntil(harness, 2);

    const runtime = harness.runtime();
    const threads = await Promise.all([runtime.startThread(), runtime.startThread()]);
    const tasks = await Promise.all(threads.map(async (thread) => turnTask(await thread.beginTurn())));
    expect(
      harness.recording
        .callsTo('/task/register')
        .slice(0, 2)
        .every((call) => call.url.includes(revoked)),
    ).toBe(true);
    expect(harness.counters()).toMatchObject({ agentRegistrations: 2, taskRegistrations: 2 });
    expect(new Set(tasks.map((task) => task.agentRuntimeId))).toEqual(
      new Set([(await harness.identityStore.load())?.agent_runtime_id]),
    );
    expect(harness.logger.at('warn').filter((line) => line.message === RECOVERY_WARNING)).toHaveLength(1);
  });

  it('two runtimes (processes) on one auth file refused at the same time', async () => {
    const harness = await authFileHarness();
    const revoked = (await harness.runtime().ensureIdentity())?.agentRuntimeId ?? '';
    await harness.backend.admin.revokeAgent(revoked);
    holdTaskRegistrationsUntil(harness, 2);

    const runtimes = [0, 1].map(() => harness.runtime({ identityStore: new FileIdentityStore({ path: authPath() }) }));
    const threads = await Promise.all(runtimes.map((runtime) => runtime.startThread()));
    const tasks = await Promise.all(threads.map(async (thread) => turnTask(await thread.beginTurn())));
    expect(harness.counters()).toMatchObject({ agentRegistrations: 2, taskRegistrations: 2 });
    const { others, record } = await authFile();
    expect(new Set(tasks.map((task) => task.agentRuntimeId))).toEqual(new Set([record?.agent_runtime_id]));
    expect(others).toEqual(codexAuthFile(ALICE));
  });
});
