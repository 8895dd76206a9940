import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentIdentityRuntime } from '../src/runtime/runtime.js';
import { closeHarnesses, Harness } from './support/harness.js';
import { stateLines } from './support/threads.js';
import { ALICE } from './support/users.js';

afterEach(closeHarnesses);

/** A runtime of `harness` that speaks the `codex-current` profile to the backend's AuthAPI. */
function currentRuntime(harness: Harness): AgentIdentityRuntime {
  return harness.runtime({ profile: 'codex-current', authApiUrl: harness.backend.authApiUrl });
}

describe('profile codex-current (CODEX-CURRENT): registration at the AuthAPI', () => {
  it('registers with Bearer at {authapi}/v1/agent/register — no biscuit — with capabilities ["responsesapi"] and ttl null', async () => {
    const harness = await Harness.start();
    const identity = await currentRuntime(harness).ensureIdentity();
    expect(identity).toBeDefined();
    const [register] = harness.recording.callsTo('/v1/agent/register');
    expect(register?.url).toBe(`${harness.backend.authApiUrl}/v1/agent/register`);
    expect(register?.headers.get('authorization')).toBe(`Bearer ${ALICE.accessToken}`);
    expect(register?.headers.has('x-openai-authorization')).toBe(false);
    expect(JSON.parse(register?.body ?? '{}')).toMatchObject({ capabilities: ['responsesapi'], ttl: null });
    expect(harness.counters()).toMatchObject({
      biscuitsMinted: 0,
      registrationsByProfile: { 'codex-current': { agents: 1 }, 'codex-0.122': { agents: 0, tasks: 0 } },
    });
    const [agent] = await harness.backend.admin.agents();
    expect(agent?.capabilities).toEqual(['responsesapi']);
  });

  it('registers the task with no auth header at all, at {authapi}/v1/agent/{id}/task/register', async () => {
    const harness = await Harness.start();
    const thread = await currentRuntime(harness).startThread();
    const task = await thread.ensureTask();
    const [call] = harness.recording.callsTo('/task/register');
    expect(call?.url).toBe(`${harness.backend.authApiUrl}/v1/agent/${task?.agentRuntimeId}/task/register`);
    expect(call?.headers.has('authorization')).toBe(false);
    expect(call?.headers.has('x-openai-authorization')).toBe(false);
  });

  for (const answer of ['plaintext', 'sealed'] as const) {
    it(`reads a ${answer} task id`, async () => {
      const harness = await Harness.start();
      harness.backend.admin.setTaskIdAnswer(answer);
      const task = await (await currentRuntime(harness).startThread()).ensureTask();
      expect((await harness.backend.admin.tasks()).map((known) => known.taskId)).toEqual([task?.taskId]);
    });
  }
});

describe('profile codex-current: one task per identity, stored in the record', () => {
  it('every thread, a second process and a resume share the one task; no session_state line is written', async () => {
    const harness = await Harness.start();
    const runtime = currentRuntime(harness);
    const first = await runtime.startThread();
    const second = await runtime.startThread();
    const [a, b] = await Promise.all([first.ensureTask(), second.ensureTask()]);
    const later = currentRuntime(harness); // another process on the same auth record
    const resumed = await later.resumeThread(first.id);
    const c = await resumed.ensureTask();
    expect(b).toEqual(a);
    expect(c?.taskId).toBe(a?.taskId);
    expect((await harness.identityStore.load())?.task_id).toBe(a?.taskId);
    expect(harness.counters().registrationsByProfile['codex-current']).toEqual({ agents: 1, tasks: 1 });
    for (const thread of [first, second]) expect(stateLines(harness, thread.id)).toEqual([]);
  });

  it('prewarm at runtime start: the identity and its task are registered before any thread or turn', async () => {
    const harness = await Harness.start();
    const runtime = currentRuntime(harness);
    await runtime.prewarmed;
    expect(harness.counters().registrationsByProfile['codex-current']).toEqual({ agents: 1, tasks: 1 });
    expect((await harness.identityStore.load())?.task_id).toMatch(/\S/);
    expect(harness.events).toEqual([]);
  });

  it('a task the downstream refused is forgotten in the record, and the next turn registers a new one', async () => {
    const harness = await Harness.start();
    const thread = await currentRuntime(harness).startThread();
    const first = await thread.ensureTask();
    expect(await thread.invalidateTask(first!)).toBe(true);
    expect((await harness.identityStore.load())?.task_id).toBeUndefined();
    const second = await thread.ensureTask();
    expect(second?.taskId).not.toBe(first?.taskId);
    expect((await harness.identityStore.load())?.task_id).toBe(second?.taskId);
  });
});

describe('profile codex-current: downstream', () => {
  it('a turn sends the assertion with ChatGPT-Account-ID beside it, and the backend accepts it', async () => {
    const harness = await Harness.start();
    const thread = await currentRuntime(harness).startThread();
    const turn = await thread.beginTurn();
    if (!turn.ok) throw new Error(turn.event.message);
    const headers = turn.auth.headers();
    expect(headers.authorization).toMatch(/^AgentAssertion /);
    expect(headers['chatgpt-account-id']).toBe(ALICE.accountId);
    const response = await fetch(harness.backend.responsesUrl, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'test', input: 'hello', stream: true }),
    });
    await response.text();
    expect(response.status).toBe(200);
    expect(harness.backend.admin.requests().at(-1)).toMatchObject({ auth: 'agent_assertion', accountIdHeader: true });
  });

  it('the 0.122 profile still sends the assertion alone (SPEC §3.6)', async () => {
    const harness = await Harness.start();
    const turn = await (await harness.runtime().startThread()).beginTurn();
    if (!turn.ok) throw new Error(turn.event.message);
    expect(turn.auth.headers()['chatgpt-account-id']).toBeUndefined();
  });
});

describe('profile codex-current: retries and the fall-back to bearer auth', () => {
  it('503 on every attempt: 3 attempts, then the session uses bearer auth with the documented message, no event', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault(
      'authapi_agent_register',
      { kind: 'status', status: 503, body: 'down' },
      { times: 3 },
    );
    const runtime = currentRuntime(harness);
    const thread = await runtime.startThread();
    const turn = await thread.beginTurn();
    expect(turn.ok && turn.auth.scheme).toBe('bearer');
    expect(harness.recording.callsTo('/v1/agent/register')).toHaveLength(3);
    expect(harness.logger.messages('warn')).toContain(
      `agent identity bootstrap unavailable after 3 attempts during agent registration: agent identity registration failed for ${harness.backend.authApiUrl}/v1/agent/register; using ChatGPT bearer auth for this session`,
    );
    // for the session: the backend is back, but this runtime stays on bearer auth
    const next = await thread.beginTurn();
    expect(next.ok && next.auth.scheme).toBe('bearer');
    expect(harness.counters().registrationsByProfile['codex-current'].agents).toBe(0);
    expect(harness.events).toEqual([]);
  });

  it("a 4xx other than 429 fails the turn with the profile's error text (no fall-back)", async () => {
    const harness = await Harness.start();
    const thread = await currentRuntime(harness).startThread();
    await thread.ensureTask();
    await thread.invalidateTask(thread.task!);
    harness.backend.admin.injectFault('authapi_task_register', {
      kind: 'status',
      status: 403,
      body: { error: 'nope' },
    });
    const turn = await thread.beginTurn();
    expect(turn.ok).toBe(false);
    if (turn.ok) return;
    expect(turn.event.message).toContain('agent task registration failed with status 403: {"error":"nope"}');
    expect(harness.recording.callsTo('/task/register')).toHaveLength(2);
  });
});

describe('profile codex-current: the task answer (plaintext wins over sealed)', () => {
  /** An AuthAPI on 127.0.0.1 that registers any agent as `agent-1` and answers task registrations with `answer`. */
  async function scriptedAuthApi(answer: unknown): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const body = request.url?.endsWith('/task/register') ? answer : { agent_runtime_id: 'agent-1' };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/api/accounts`,
      close: () =>
        new Promise((resolve) =>
          server.close(() => {
            resolve();
          }),
        ),
    };
  }

  async function taskIdAnswered(answer: unknown): Promise<string | undefined> {
    const authApi = await scriptedAuthApi(answer);
    const harness = await Harness.start();
    try {
      const runtime = harness.runtime({ profile: 'codex-current', authApiUrl: authApi.url });
      return (await (await runtime.startThread()).ensureTask())?.taskId;
    } finally {
      await harness.close();
      await authApi.close();
    }
  }

  it('task_id wins over an encrypted_task_id that would not even open', async () => {
    expect(await taskIdAnswered({ task_id: 'task-plain', encrypted_task_id: 'bm90IGEgYm94' })).toBe('task-plain');
  });

  it('taskId (camelCase) is read too', async () => {
    expect(await taskIdAnswered({ taskId: 'task-camel' })).toBe('task-camel');
  });

  it("an answer without any task id fails with CODEX-CURRENT's text (TASK_ID_MISSING)", async () => {
    await expect(taskIdAnswered({ other: 1 })).rejects.toMatchObject({
      code: 'TASK_ID_MISSING',
      message: 'agent task registration response omitted task id',
    });
  });
});
