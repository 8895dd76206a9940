import { setImmediate as nextTurn } from 'node:timers/promises';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_THREAD_ID_HEADER, createAgentFetch, threadByIdHeader } from '@agent-identity/api-bridge';
import { NOT_LOGGED_IN, type AgentThread } from '@agent-identity/core';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { SDK_API_KEY, SdkBed } from './support/sdk-bed.js';

afterEach(() =>
  closeRuntimeBeds((bed) => {
    expect(bed.seen()).not.toContain(SDK_API_KEY);
  }),
);

/** The SDK as an integrator builds it: its default retries on, so a retried failure would show. */
function sdkClient(bed: SdkBed, fetch: ReturnType<typeof createAgentFetch>): OpenAI {
  return new OpenAI({ apiKey: SDK_API_KEY, baseURL: bed.sdkBaseUrl, fetch });
}

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('the call succeeded'),
    (error: unknown) => error,
  );
}

describe('the openai SDK (default retries) through createAgentFetch, as an integrator meets it', () => {
  it('a failed task registration: one registration, one TASK_REGISTRATION_FAILED event, an APIError with our code', async () => {
    const bed = await SdkBed.open();
    const rejected = { kind: 'status', status: 403 } as const;
    bed.backend.admin.injectFault('task_register', rejected);
    const thread = await bed.runtime().startThread({ ephemeral: true });
    await thread.prewarmed;
    bed.backend.admin.injectFault('task_register', rejected, { times: 5 });

    const error = await failureOf(
      sdkClient(bed, createAgentFetch(thread)).responses.create({ model: 'gpt-5', input: 'hi' }),
    );

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({
      status: 401,
      code: 'TASK_REGISTRATION_FAILED',
      error: { code: 'TASK_REGISTRATION_FAILED' },
    });
    expect(bed.backend.admin.faults()).toEqual([expect.objectContaining({ endpoint: 'task_register', remaining: 4 })]);
    expect(bed.events.map((event) => event.code)).toEqual(['TASK_REGISTRATION_FAILED']);
    expect(bed.backend.admin.requests()).toEqual([]);
  });

  it('nobody logged in: NOT_LOGGED_IN from us, said once in the log; the placeholder key never leaves', async () => {
    const bed = await SdkBed.start({ backend: { pathPrefix: '/backend-api' }, login: null });
    const thread = await bed.runtime().startThread();
    const client = sdkClient(bed, createAgentFetch(thread));

    for (const input of ['one', 'two']) {
      const error = await failureOf(client.responses.create({ model: 'gpt-5', input }));
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error).toMatchObject({ code: 'NOT_LOGGED_IN' });
    }
    expect(bed.backend.admin.requests()).toEqual([]);
    expect(bed.logger.at('warn').filter((line) => line.fields?.code === NOT_LOGGED_IN)).toHaveLength(1);
  });

  it('aborted while re-registering a revoked task: the SDK reports the abort, one registration, no event', async () => {
    const bed = await SdkBed.open();
    const thread = await bed.runtime().startThread();
    await thread.prewarmed;
    await bed.backend.admin.revokeTask(thread.task?.taskId ?? expect.fail('no task'));
    bed.backend.admin.injectFault('task_register', { kind: 'hang' });
    const controller = new AbortController();
    const call = sdkClient(bed, createAgentFetch(thread)).responses.create(
      { model: 'gpt-5', input: 'hi' },
      { signal: controller.signal },
    );
    while (bed.backend.admin.faults().length > 0) await nextTurn();
    controller.abort();

    expect(await failureOf(call)).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(bed.events).toEqual([]);
    expect(bed.counters().downstream.http).toEqual({ accepted: 0, rejected: { task_invalid: 1 } });
  });

  it('one client, two threads: each request carries its own thread’s task', async () => {
    const bed = await SdkBed.open();
    const runtime = bed.runtime();
    const threads = new Map<string, AgentThread>();
    for (const thread of [await runtime.startThread(), await runtime.startThread()]) {
      await thread.prewarmed;
      threads.set(thread.id, thread);
    }
    const client = sdkClient(bed, createAgentFetch(threadByIdHeader((threadId) => threads.get(threadId))));

    for (const thread of [...threads.values(), ...threads.values()]) {
      const answer = await client.responses
        .stream({ model: 'gpt-5', input: 'hello' }, { headers: { [AGENT_THREAD_ID_HEADER]: thread.id } })
        .finalResponse();
      expect(answer.output_text).toBe(
        `echo: hello (agent ${thread.task?.agentRuntimeId ?? '?'}, task ${thread.task?.taskId ?? '?'})`,
      );
    }
    const taskIds = bed.backend.admin.requests().map((request) => request.taskId);
    const [one, two] = [...threads.values()].map((thread) => thread.task?.taskId);
    expect(taskIds).toEqual([one, two, one, two]);
  });
});
