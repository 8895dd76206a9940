import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { decodeRolloutLines } from '@agent-identity/protocol';
import type { AgentTask } from '../src/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAuthSource } from '../src/stores/memory-auth-source.js';
import { CoreError } from '../src/runtime/errors.js';
import { MemoryRolloutStore } from '../src/stores/memory-rollout-store.js';
import { ManualClock } from '../src/testing/manual-clock.js';
import { closeHarnesses, Harness } from './support/harness.js';
import { registerAnotherIdentity, stateLines } from './support/threads.js';
import { ALICE, BOB, loginOf } from './support/users.js';

afterEach(closeHarnesses);

const API_KEY = 'sk-proj-api-key-that-must-never-be-logged';

function taskOf(agentRuntimeId: string, taskId: string): AgentTask {
  return { agentRuntimeId, taskId, registeredAt: '2026-04-19T22:45:28Z' };
}

/** The Codex sample rollout (task_123 → null → task_456), with its tasks moved to `agentRuntimeId`. */
async function codexSampleLines(agentRuntimeId: string) {
  const text = await readFile(new URL('fixtures/codex-rollout-sample.jsonl', import.meta.url), 'utf8');
  const { lines, errors } = decodeRolloutLines(text.replaceAll('"agent-123"', JSON.stringify(agentRuntimeId)));
  expect(errors).toEqual([]);
  return lines.filter((line) => line.type !== 'session_meta');
}

async function downstream(harness: Harness, headers: Readonly<Record<string, string>>): Promise<number> {
  const response = await fetch(harness.backend.responsesUrl, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'test', input: 'hello', stream: true }),
  });
  await response.text();
  return response.status;
}

describe('gated: flag off or API-key auth (SPEC §1)', () => {
  it('flag off: turns use bearer auth; no HTTP call, no session_state line', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime({ useAgentIdentity: false });
    const thread = await runtime.startThread();
    await thread.prewarmed;
    const turn = await thread.beginTurn();
    expect(turn.ok && turn.auth.scheme).toBe('bearer');
    expect(turn.ok && turn.auth.headers()).toEqual({
      authorization: `Bearer ${ALICE.accessToken}`,
      'chatgpt-account-id': ALICE.accountId,
    });
    expect(await thread.ensureTask()).toBeUndefined();
    expect(stateLines(harness, thread.id)).toEqual([]);
    expect(harness.recording.calls).toEqual([]);
    expect(harness.counters()).toMatchObject({ biscuitsMinted: 0, agentRegistrations: 0, taskRegistrations: 0 });
    expect(harness.events).toEqual([]);
  });

  it('API-key auth: turns carry the key as a bearer token; no HTTP call, no session_state line', async () => {
    const harness = await Harness.start({ login: { mode: 'api_key', apiKey: API_KEY } });
    const thread = await harness.runtime().startThread();
    const turn = await thread.beginTurn();
    expect(turn.ok && turn.auth.headers()).toEqual({ authorization: `Bearer ${API_KEY}` });
    expect(stateLines(harness, thread.id)).toEqual([]);
    expect(harness.recording.calls).toEqual([]);
    expect(harness.counters()).toMatchObject({ biscuitsMinted: 0, agentRegistrations: 0, taskRegistrations: 0 });
    thread.close();
    await thread.prewarmed;
    expect(harness.logger.text()).not.toContain(API_KEY);
  });
});

describe('prewarm (SPEC §4.5 step 2)', () => {
  it('registers the identity and the task in the background, caches it, writes one line, emits nothing', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread();
    await thread.prewarmed;
    const [task] = await harness.backend.admin.tasks();
    expect(thread.task).toEqual({
      agentRuntimeId: task?.agentRuntimeId,
      taskId: task?.taskId,
      registeredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
    });
    expect(stateLines(harness, thread.id)).toEqual([thread.task]);
    expect(harness.events).toEqual([]);

    const turn = await thread.beginTurn();
    expect(turn.ok && turn.auth.task).toEqual(thread.task);
    expect(harness.counters()).toMatchObject({ agentRegistrations: 1, taskRegistrations: 1 });
  });

  it('a failing prewarm (500) emits no event and writes nothing; the next turn registers', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 500 }, { times: 3 });
    const thread = await harness.runtime().startThread();
    await thread.prewarmed;
    expect(thread.task).toBeUndefined();
    expect(harness.events).toEqual([]);
    expect(stateLines(harness, thread.id)).toEqual([]);
    expect(harness.logger.at('warn').at(-1)?.message).toBe(
      'agent identity: prewarming the task failed; the next turn will retry',
    );

    const turn = await thread.beginTurn();
    expect(turn.ok && turn.auth.scheme).toBe('assertion');
    expect(stateLines(harness, thread.id)).toEqual([thread.task]);
    expect(harness.counters().taskRegistrations).toBe(1);
  });

  it('a failing identity registration emits exactly one event with the SPEC text; the thread lives on', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('agent_register', { kind: 'status', status: 403, body: 'forbidden' });
    const thread = await harness.runtime().startThread();
    await thread.prewarmed;
    expect(harness.events).toEqual([
      {
        type: 'error',
        threadId: thread.id,
        code: 'IDENTITY_REGISTRATION_FAILED',
        message: `Agent identity registration failed while \`features.use_agent_identity\` is enabled: agent identity registration failed with status 403 from ${harness.backend.baseUrl}/v1/agent/register: forbidden`,
        cause: expect.objectContaining({ code: 'IDENTITY_REGISTRATION_REJECTED' }) as unknown,
      },
    ]);
    const turn = await thread.beginTurn();
    expect(turn.ok && turn.auth.scheme).toBe('assertion');
    expect(harness.events).toHaveLength(1);
  });
});

describe('a user turn (SPEC §4.6)', () => {
  it('a failed registration ends the turn with the exact event text; the next turn succeeds', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread();
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 400, body: 'no' }, { times: 2 });
    await thread.prewarmed;

    const failed = await thread.beginTurn();
    const url = `${harness.backend.baseUrl}/v1/agent/${(await harness.identityStore.load())?.agent_runtime_id ?? ''}/task/register`;
    const expected = {
      type: 'error',
      threadId: thread.id,
      code: 'TASK_REGISTRATION_FAILED',
      message: `Agent task registration failed. Please try again; Codex will attempt to register the task again on the next turn: agent task registration failed with status 400 from ${url}: no`,
    };
    expect(failed).toEqual({ ok: false, event: expect.objectContaining(expected) as unknown });
    expect(harness.events).toEqual([expect.objectContaining(expected)]);
    expect(stateLines(harness, thread.id)).toEqual([]);

    const next = await thread.beginTurn();
    expect(next.ok && next.auth.scheme).toBe('assertion');
    expect(harness.events).toHaveLength(1);
  });

  it('a turn rides out a 500: one turn, two attempts, two biscuits', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread();
    await thread.prewarmed;
    if (thread.task !== undefined) await thread.invalidateTask(thread.task);
    const before = { counters: harness.counters(), calls: harness.recording.callsTo('/task/register').length };
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 500 });

    const turn = await thread.beginTurn();
    expect(turn.ok && turn.auth.scheme).toBe('assertion');
    const after = harness.counters();
    expect(harness.recording.callsTo('/task/register').length - before.calls).toBe(2);
    expect(after.biscuitsMinted - before.counters.biscuitsMinted).toBe(2);
    expect(after.taskRegistrations - before.counters.taskRegistrations).toBe(1);
    expect(harness.events).toEqual([]);
  });

  it('an onEvent sink that throws is logged, and the turn still reports its event', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('task_register', { kind: 'garbage' }, { times: 2 });
    const thread = await harness
      .runtime({
        onEvent: () => {
          throw new Error('sink bug');
        },
      })
      .startThread();
    await thread.prewarmed;
    const turn = await thread.beginTurn();
    expect(!turn.ok && turn.event.code).toBe('TASK_REGISTRATION_FAILED');
    expect(harness.logger.at('error').map((line) => line.message)).toEqual(['agent identity: the onEvent sink threw']);
  });

  it("the product name in the turn error text is the host app's", async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('task_register', { kind: 'tamper_sealed_box' }, { times: 2 });
    const thread = await harness.runtime({ productName: 'Acme Agent' }).startThread();
    await thread.prewarmed;
    const turn = await thread.beginTurn();
    expect(!turn.ok && turn.event.message).toBe(
      'Agent task registration failed. Please try again; Acme Agent will attempt to register the task again on the next turn: failed to decrypt encrypted task id',
    );
  });

  it('the assertion is accepted downstream and never comes with ChatGPT-Account-ID', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread();
    const turn = await thread.beginTurn();
    if (!turn.ok) throw new Error(turn.event.message);
    const headers = turn.auth.headers();
    expect(Object.keys(headers)).toEqual(['authorization']);
    expect(headers.authorization).toMatch(/^AgentAssertion [A-Za-z0-9_-]+$/);
    expect(turn.auth.authorizationHeader()).toBe(headers.authorization);
    expect(await harness.backend.admin.verify(headers.authorization ?? '')).toMatchObject({
      ok: true,
      identity: { agentRuntimeId: thread.task?.agentRuntimeId, taskId: thread.task?.taskId },
    });
    expect(await downstream(harness, headers)).toBe(200);
    expect(harness.backend.admin.requests().at(-1)).toMatchObject({
      auth: 'agent_assertion',
      taskId: thread.task?.taskId,
      accountIdHeader: false,
    });
  });

  it('bearer headers are accepted downstream with ChatGPT-Account-ID', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime({ useAgentIdentity: false }).startThread();
    const turn = await thread.beginTurn();
    if (!turn.ok) throw new Error(turn.event.message);
    expect(await downstream(harness, turn.auth.headers())).toBe(200);
    expect(harness.backend.admin.requests().at(-1)).toMatchObject({ auth: 'bearer', accountIdHeader: true });
  });

  it('headers are built per call: a new second signs a new assertion, the same second reuses it', async () => {
    const harness = await Harness.start();
    const clock = new ManualClock();
    const thread = await harness.runtime({ now: clock.now }).startThread();
    const turn = await thread.beginTurn();
    if (!turn.ok) throw new Error(turn.event.message);
    clock.advance(1_000 - (clock.now() % 1_000));
    const first = turn.auth.authorizationHeader();
    clock.advance(999);
    expect(turn.auth.authorizationHeader()).toBe(first);
    clock.advance(1);
    expect(turn.auth.authorizationHeader()).not.toBe(first);
  });

  it('contextKey is equal iff the auth context is: same task, or taskless with the same login', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread();
    const [a, b] = await Promise.all([thread.beginTurn(), thread.beginTurn()]);
    if (!a.ok || !b.ok) throw new Error('turns failed');
    expect(a.auth.contextKey).toBe(b.auth.contextKey);

    const off = harness.runtime({ useAgentIdentity: false });
    const bearerThread = await off.startThread();
    const c = await bearerThread.beginTurn();
    const d = await bearerThread.beginTurn();
    harness.setLogin(loginOf(BOB));
    const e = await bearerThread.beginTurn();
    harness.setLogin(undefined);
    const f = await bearerThread.beginTurn();
    if (!c.ok || !d.ok || !e.ok || !f.ok) throw new Error('turns failed');
    expect(c.auth.contextKey).toBe(d.auth.contextKey);
    expect(new Set([a.auth.contextKey, c.auth.contextKey, e.auth.contextKey, f.auth.contextKey]).size).toBe(4);
    expect(f.auth.scheme).toBe('none');
    expect(f.auth.headers()).toEqual({});
    for (const key of [a, c, e].map((turn) => turn.auth.contextKey)) {
      expect(key).not.toContain(ALICE.accessToken);
      expect(key).not.toContain(BOB.accessToken);
    }
  });

  it('a TurnAuth shows no secret in JSON or inspect', async () => {
    const harness = await Harness.start({ runtime: { useAgentIdentity: false } });
    const turn = await (await harness.runtime().startThread()).beginTurn();
    if (!turn.ok) throw new Error(turn.event.message);
    expect(JSON.stringify(turn.auth)).not.toContain(ALICE.accessToken);
    expect(inspect(turn.auth, { depth: null, showHidden: true })).not.toContain(ALICE.accessToken);
  });
});

describe('ensureTask (SPEC §4.4)', () => {
  it('50 concurrent beginTurn() on one thread register one task', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread();
    const turns = await Promise.all(Array.from({ length: 50 }, () => thread.beginTurn()));
    expect(turns.every((turn) => turn.ok)).toBe(true);
    expect(new Set(turns.map((turn) => turn.ok && turn.auth.contextKey)).size).toBe(1);
    await thread.prewarmed;
    expect(harness.counters().taskRegistrations).toBe(1);
    expect(stateLines(harness, thread.id)).toHaveLength(1);
  });

  it('50 threads starting together register one identity (and a task each)', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    const threads = await Promise.all(Array.from({ length: 50 }, () => runtime.startThread()));
    await Promise.all(threads.map((thread) => thread.prewarmed));
    expect(harness.counters()).toMatchObject({ agentRegistrations: 1, taskRegistrations: 50 });
    expect(new Set(threads.map((thread) => thread.task?.taskId)).size).toBe(50);
    expect(new Set(threads.map((thread) => thread.task?.agentRuntimeId)).size).toBe(1);
  });

  it('a stale cached task (the identity changed) is cleared with exactly one null line, then replaced', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread();
    await thread.prewarmed;
    const stale = thread.task;
    const rotated = await registerAnotherIdentity(harness);
    await harness.identityStore.save(rotated);

    const turn = await thread.beginTurn();
    expect(turn.ok && turn.auth.task?.agentRuntimeId).toBe(rotated.agent_runtime_id);
    expect(stateLines(harness, thread.id)).toEqual([stale, null, thread.task]);
  });

  it('an identity rotated during task registration gets a second attempt', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    const original = await runtime.ensureIdentity();
    const rotated = await registerAnotherIdentity(harness);
    let rotations = 0;
    harness.recording.beforeCall = async (call) => {
      if (call.url.endsWith('/task/register') && rotations === 0) {
        rotations += 1;
        await harness.identityStore.save(rotated);
      }
    };
    const thread = await runtime.startThread();
    await thread.prewarmed;

    const registered = (await harness.backend.admin.tasks()).map((task) => task.agentRuntimeId);
    expect(registered).toEqual([original?.agentRuntimeId, rotated.agent_runtime_id]);
    expect(thread.task?.agentRuntimeId).toBe(rotated.agent_runtime_id);
    expect(stateLines(harness, thread.id)).toEqual([thread.task]);
    expect(harness.logger.at('info').map((line) => line.message)).toContain(
      'agent identity: the identity changed during task registration; discarding the task',
    );
  });

  it('rotated during both attempts: no task, the turn uses bearer auth, nothing written', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    await runtime.ensureIdentity();
    const next = [await registerAnotherIdentity(harness), await registerAnotherIdentity(harness)];
    harness.recording.beforeCall = async (call) => {
      const record = call.url.endsWith('/task/register') ? next.shift() : undefined;
      if (record !== undefined) await harness.identityStore.save(record);
    };
    const thread = await runtime.startThread({ ephemeral: false });
    await thread.prewarmed;
    expect(thread.task).toBeUndefined();
    harness.recording.beforeCall = undefined;
    expect(harness.counters().taskRegistrations).toBe(2);
    expect(stateLines(harness, thread.id)).toEqual([]);
  });
});

describe('restore on resume (SPEC §4.5 step 1)', () => {
  async function resumeWith(lines: Awaited<ReturnType<typeof codexSampleLines>>) {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    await runtime.ensureIdentity();
    await harness.rolloutStore.createThread('thread-1');
    await harness.rolloutStore.append('thread-1', lines);
    const before = stateLines(harness, 'thread-1');
    const thread = await runtime.resumeThread('thread-1');
    return { harness, thread, before, restored: thread.task };
  }

  it('[task, null, task] → the newest task, reused without registering', async () => {
    const identityHarness = await Harness.start();
    const runtimeId = (await identityHarness.runtime().ensureIdentity())?.agentRuntimeId ?? '';
    const harness = await Harness.start({ identityStore: identityHarness.identityStore });
    const runtime = harness.runtime();
    await harness.rolloutStore.createThread('thread-1');
    await harness.rolloutStore.append('thread-1', await codexSampleLines(runtimeId));
    const thread = await runtime.resumeThread('thread-1');
    expect(thread.task).toEqual({
      agentRuntimeId: runtimeId,
      taskId: 'task_456',
      registeredAt: '2026-04-19T23:12:04Z',
    });
    await thread.prewarmed;
    expect(stateLines(harness, 'thread-1')).toHaveLength(3);
    expect(harness.counters().taskRegistrations).toBe(0);
  });

  it('[task, null] → cleared; restore writes nothing', async () => {
    const lines = await codexSampleLines('placeholder');
    const { harness, thread, before, restored } = await resumeWith(
      lines.slice(
        0,
        lines.findIndex((line) => line.type === 'compacted'),
      ),
    );
    expect(before.at(-1)).toBeNull();
    expect(restored).toBeUndefined();
    expect(stateLines(harness, thread.id)).toEqual(before);
  });

  it('a task of another agent runtime → cleared; restore writes nothing', async () => {
    const { harness, thread, before, restored } = await resumeWith(await codexSampleLines('agent-of-another-install'));
    expect(restored).toBeUndefined();
    expect(stateLines(harness, thread.id)).toEqual(before);
    await thread.prewarmed;
    expect(stateLines(harness, thread.id)).toEqual([...before, thread.task]);
  });

  it('no session_state line → untouched (no task), nothing written by restore', async () => {
    const lines = await codexSampleLines('x');
    const { harness, thread, restored } = await resumeWith(lines.filter((line) => line.type !== 'session_state'));
    expect(restored).toBeUndefined();
    expect(stateLines(harness, thread.id)).toEqual([]);
  });

  it('an unknown thread id → THREAD_NOT_FOUND', async () => {
    const harness = await Harness.start();
    await expect(harness.runtime().resumeThread('no-such-thread')).rejects.toMatchObject({ code: 'THREAD_NOT_FOUND' });
  });
});

describe('threads', () => {
  it('a fork does not inherit its parent task: it registers its own', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    const parent = await runtime.startThread();
    await parent.prewarmed;
    const fork = await runtime.forkThread(parent.id);
    expect(fork.task).toBeUndefined();
    await fork.prewarmed;
    expect(fork.task).toBeDefined();
    expect(fork.task?.taskId).not.toBe(parent.task?.taskId);
    expect(stateLines(harness, fork.id)).toEqual([fork.task]);
    expect(harness.rolloutStore instanceof MemoryRolloutStore && harness.rolloutStore.lines(fork.id)[0]).toMatchObject({
      type: 'session_meta',
      payload: { id: fork.id, forked_from_id: parent.id },
    });
  });

  it('new threads get UUID v7 ids and the host meta in session_meta', async () => {
    const harness = await Harness.start({ runtime: { useAgentIdentity: false } });
    const thread = await harness.runtime().startThread({ meta: { originator: 'core-tests' } });
    expect(thread.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(
      harness.rolloutStore instanceof MemoryRolloutStore && harness.rolloutStore.lines(thread.id)[0],
    ).toMatchObject({
      payload: { id: thread.id, originator: 'core-tests' },
    });
  });

  it('an ephemeral thread registers its task but writes no rollout', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread({ ephemeral: true });
    await thread.prewarmed;
    expect(thread.ephemeral).toBe(true);
    expect(thread.task).toBeDefined();
    expect(await harness.rolloutStore.hasThread(thread.id)).toBe(false);
  });

  it('a login after start-up registers the identity without a restart', async () => {
    const harness = await Harness.start({ login: null });
    const thread = await harness.runtime().startThread();
    const turn = await thread.beginTurn();
    expect(turn.ok && turn.auth.scheme).toBe('none');
    expect(harness.recording.calls).toEqual([]);

    harness.setLogin({ mode: 'api_key', apiKey: API_KEY });
    harness.setLogin(loginOf(ALICE));
    await thread.prewarmed;
    expect(harness.counters()).toMatchObject({ agentRegistrations: 1, taskRegistrations: 1 });
    expect(thread.task).toBeDefined();
  });

  it('close() stops waiting for a login', async () => {
    const authSource = new MemoryAuthSource();
    const harness = await Harness.start({ authSource });
    const thread = await harness.runtime().startThread();
    await new Promise((resolve) => setImmediate(resolve));
    expect(authSource.waiterCount).toBe(1);
    thread.close();
    await thread.prewarmed;
    expect(authSource.waiterCount).toBe(0);
    expect(harness.events).toEqual([]);
  });

  it('runtime.close() aborts a hung registration without an event, and refuses new threads', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('agent_register', { kind: 'hang' });
    const runtime = harness.runtime();
    const thread = await runtime.startThread();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await runtime.close();
    await thread.prewarmed;
    expect(harness.events).toEqual([]);
    const closed = await runtime.startThread().catch((error: unknown) => error);
    expect(CoreError.isInstance(closed)).toBe(true);
    expect(closed).toMatchObject({ code: 'RUNTIME_CLOSED' });
  });
});

describe('authorizationHeader, invalidateTask, onTaskChange', () => {
  it('authorizationHeader: the assertion for the cached task, bearer without one, never registering', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread();
    expect(await thread.authorizationHeader()).toBe(`Bearer ${ALICE.accessToken}`);
    await thread.prewarmed;
    const calls = harness.recording.calls.length;
    expect(await thread.authorizationHeader()).toMatch(/^AgentAssertion /);
    expect(harness.recording.calls).toHaveLength(calls);
  });

  it('authorizationHeader: a cached task of another runtime fails with the SPEC text', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread();
    await thread.prewarmed;
    const rotated = await registerAnotherIdentity(harness);
    await harness.identityStore.save(rotated);
    await expect(thread.authorizationHeader()).rejects.toThrow(
      `agent task runtime ${thread.task?.agentRuntimeId ?? ''} does not match stored agent identity ${rotated.agent_runtime_id}`,
    );
  });

  it('invalidateTask is compare-and-clear, writes the null line, and the next turn registers anew', async () => {
    const harness = await Harness.start();
    const thread = await harness.runtime().startThread();
    const seen: (AgentTask | undefined)[] = [];
    thread.onTaskChange((task) => seen.push(task));
    await thread.prewarmed;
    const first = thread.task;
    if (first === undefined) throw new Error('no task');

    expect(await thread.invalidateTask(taskOf(first.agentRuntimeId, 'some-other-task'))).toBe(false);
    expect(await thread.invalidateTask(first)).toBe(true);
    expect(await thread.invalidateTask(first)).toBe(false);
    const turn = await thread.beginTurn();
    expect(turn.ok && turn.auth.task?.taskId).not.toBe(first.taskId);
    expect(stateLines(harness, thread.id)).toEqual([first, null, thread.task]);
    expect(seen).toEqual([first, undefined, thread.task]);
  });
});
