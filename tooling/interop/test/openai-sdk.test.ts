import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { AgentTask } from '@agent-identity/core';
import { afterEach, describe, expect, it } from 'vitest';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { SDK_API_KEY, SdkBed } from './support/sdk-bed.js';

afterEach(() =>
  closeRuntimeBeds((bed) => {
    expect(bed.seen()).not.toContain(SDK_API_KEY);
  }),
);

/** The reference backend's answer to `prompt` for a task (SPEC §3.8's model endpoint echoes). */
const echoOf = (prompt: string, task: AgentTask | undefined): string =>
  `echo: ${prompt} (agent ${task?.agentRuntimeId ?? '?'}, task ${task?.taskId ?? '?'})`;

describe('the official openai SDK through createAgentFetch', () => {
  it('responses.create({ stream: true }) iterates the SPEC §3.8 event sequence, numbered from 0', async () => {
    const bed = await SdkBed.open();
    const { client, turn } = await bed.sdkTurn();

    const events: ResponseStreamEvent[] = [];
    const stream = await client.responses.create({ model: 'gpt-5', input: 'hello', stream: true });
    for await (const event of stream) events.push(event);

    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events[0]?.type).toBe('response.created');
    expect(events.at(-1)?.type).toBe('response.completed');
    const deltas = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));
    expect(deltas.join('')).toBe(echoOf('hello', turn.task));
    const done = events.find((event) => event.type === 'response.output_text.done');
    expect(done?.type === 'response.output_text.done' && done.text).toBe(echoOf('hello', turn.task));
  });

  it('responses.stream().finalResponse() accumulates the answer: output_text is the echo', async () => {
    const bed = await SdkBed.open();
    const { client, turn } = await bed.sdkTurn();

    const response = await client.responses.stream({ model: 'gpt-5', input: 'hello' }).finalResponse();

    expect(response.status).toBe('completed');
    expect(response.output_text).toBe(echoOf('hello', turn.task));
  });

  it("replaces the SDK's own Authorization with the assertion: the backend accepted the task, never the API key", async () => {
    const bed = await SdkBed.open();
    const { client, turn } = await bed.sdkTurn();

    for await (const _event of await client.responses.create({ model: 'gpt-5', input: 'hello', stream: true }));

    expect(bed.backend.admin.requests()).toEqual([
      expect.objectContaining({
        transport: 'http',
        path: '/backend-api/v1/responses',
        auth: 'agent_assertion',
        agentRuntimeId: turn.task?.agentRuntimeId,
        taskId: turn.task?.taskId,
        accountIdHeader: false,
      }),
    ]);
    expect(bed.counters().downstream.http).toEqual({ accepted: 1, rejected: {} });
  });

  it('recovers a task the backend revoked: one new task registered, the call answered for it', async () => {
    const bed = await SdkBed.open();
    const { client, turn, thread, recoveries } = await bed.sdkTurn();
    const revoked = turn.task;
    await bed.backend.admin.revokeTask(revoked?.taskId ?? '');

    let answer = '';
    for await (const event of await client.responses.create({
      model: 'gpt-5',
      input: 'after revocation',
      stream: true,
    })) {
      if (event.type === 'response.output_text.delta') answer += event.delta;
    }

    expect(thread.task).toBeDefined();
    expect(thread.task?.taskId).not.toBe(revoked?.taskId);
    expect(answer).toBe(echoOf('after revocation', thread.task));
    expect(recoveries).toEqual([
      expect.objectContaining({ outcome: 'retried', refusal: 'task_invalid', invalidTask: revoked, task: thread.task }),
    ]);
    expect(bed.counters()).toMatchObject({
      agentRegistrations: 1,
      taskRegistrations: 2,
      downstream: { http: { accepted: 1, rejected: { task_invalid: 1 } } },
    });
  });
});
