import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiBridgeError,
  AUTHORIZATION_HEADER,
  threadHeaderProvider,
  turnHeaderProvider,
  type AuthHeaderProvider,
} from '../src/index.js';
import { closeTestBeds, TestBed, USER } from './support/test-bed.js';

afterEach(closeTestBeds);

const API_KEY = 'sk-proj-api-bridge-key-that-must-never-be-logged';

/** Everything a provider reports, gathered at once. */
async function report(provider: AuthHeaderProvider) {
  return {
    headerName: provider.headerName,
    attaches: await provider.attachesHeader(),
    value: await provider.authorizationValue(),
    headers: await provider.headers(),
  };
}

describe('turnHeaderProvider: one turn’s auth context', () => {
  it('a task: an AgentAssertion the backend verifies for the agent and task, no ChatGPT-Account-ID', async () => {
    const bed = await TestBed.start();
    const { thread, auth } = await bed.turn();
    const reported = await report(turnHeaderProvider(auth));
    expect(reported).toEqual({
      headerName: 'authorization',
      attaches: true,
      value: expect.stringMatching(/^AgentAssertion [A-Za-z0-9_-]+$/) as unknown,
      headers: { authorization: reported.value },
    });
    expect(reported.headers).not.toHaveProperty('chatgpt-account-id');
    const verified = await bed.backend.admin.verify(reported.value ?? '');
    expect(verified).toMatchObject({
      ok: true,
      identity: { agentRuntimeId: thread.task?.agentRuntimeId, taskId: thread.task?.taskId },
    });
  });

  it('no task (feature off): Bearer <access token> plus ChatGPT-Account-ID', async () => {
    const bed = await TestBed.start();
    const { auth } = await bed.turn({ useAgentIdentity: false });
    expect(await report(turnHeaderProvider(auth))).toEqual({
      headerName: AUTHORIZATION_HEADER,
      attaches: true,
      value: `Bearer ${USER.accessToken}`,
      headers: { authorization: `Bearer ${USER.accessToken}`, 'chatgpt-account-id': USER.accountId },
    });
  });

  it('API-key auth: the key as a bearer token, no account id', async () => {
    const bed = await TestBed.start({ login: { mode: 'api_key', apiKey: API_KEY } });
    const { auth } = await bed.turn();
    expect(await report(turnHeaderProvider(auth))).toEqual({
      headerName: 'authorization',
      attaches: true,
      value: `Bearer ${API_KEY}`,
      headers: { authorization: `Bearer ${API_KEY}` },
    });
  });

  it('nobody logged in: attaches no header, has no value', async () => {
    const bed = await TestBed.start({ login: null });
    const { auth } = await bed.turn({ useAgentIdentity: false });
    expect(await report(turnHeaderProvider(auth))).toEqual({
      headerName: 'authorization',
      attaches: false,
      value: undefined,
      headers: {},
    });
  });

  it('gives the turn’s own TurnAuth', async () => {
    const bed = await TestBed.start();
    const { auth } = await bed.turn();
    expect(await turnHeaderProvider(auth).turnAuth()).toBe(auth);
  });
});

describe('threadHeaderProvider: the thread’s current state', () => {
  it('awaits the task of a thread that has none yet (SPEC §4.4) and signs for it', async () => {
    const bed = await TestBed.start();
    const thread = await bed.runtime().startThread({ ephemeral: true });
    const provider = threadHeaderProvider(thread);
    const value = await provider.authorizationValue();
    expect(thread.task).toBeDefined();
    expect(await bed.backend.admin.verify(value ?? '')).toMatchObject({
      ok: true,
      identity: { taskId: thread.task?.taskId },
    });
    expect((await provider.turnAuth()).task).toEqual(thread.task);
    expect(bed.counters().taskRegistrations).toBe(1);
  });

  it('follows the thread when its task changes', async () => {
    const bed = await TestBed.start();
    const { thread, task } = await bed.taskThread();
    const provider = threadHeaderProvider(thread);
    expect((await provider.turnAuth()).task).toEqual(task);
    await thread.invalidateTask(task);
    const next = (await provider.turnAuth()).task;
    expect(next).toBeDefined();
    expect(next?.taskId).not.toBe(task.taskId);
    expect(await bed.backend.admin.verify((await provider.authorizationValue()) ?? '')).toMatchObject({
      ok: true,
      identity: { taskId: next?.taskId },
    });
  });

  it('a failed registration rejects with TASK_REGISTRATION_FAILED and the SPEC turn error text', async () => {
    const bed = await TestBed.start();
    const thread = await bed.runtime().startThread({ ephemeral: true });
    await thread.prewarmed;
    await thread.invalidateTask(thread.task ?? expect.fail('no task'));
    bed.backend.admin.injectFault('task_register', { kind: 'status', status: 400 });
    const error: unknown = await threadHeaderProvider(thread)
      .headers()
      .catch((caught: unknown) => caught);
    expect(ApiBridgeError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'TASK_REGISTRATION_FAILED',
      message: expect.stringMatching(
        /^Agent task registration failed\. Please try again; Codex will attempt to register the task again on the next turn: agent task registration failed with status 400 from /,
      ) as unknown,
    });
    expect(bed.events.map((event) => event.code)).toEqual(['TASK_REGISTRATION_FAILED']);
  });
});
