import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterEach, describe, expect, it } from 'vitest';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { GATEWAY_USER, GatewayBed, SDK_API_KEY } from './support/gateway-bed.js';

afterEach(() =>
  closeRuntimeBeds((bed) => {
    expect(bed.seen()).not.toContain(SDK_API_KEY);
  }),
);

/** The reference backend's echo for a call made with the gateway's credential. */
const echoForGateway = (prompt: string): string => `echo: ${prompt} (user ${GATEWAY_USER.userId})`;

describe('the official openai SDK through the gateway', () => {
  it('responses.create({ stream: true }) gets the SPEC §3.8 events, answered upstream for the gateway credential', async () => {
    const bed = await GatewayBed.open();
    const { client } = await bed.sdkTurn();

    const events: ResponseStreamEvent[] = [];
    for await (const event of await client.responses.create({ model: 'gpt-5', input: 'hello', stream: true }))
      events.push(event);

    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events[0]?.type).toBe('response.created');
    expect(events.at(-1)?.type).toBe('response.completed');
    const deltas = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));
    expect(deltas.join('')).toBe(echoForGateway('hello'));
  });

  it('responses.stream().finalResponse() accumulates the answer through the gateway', async () => {
    const bed = await GatewayBed.open();
    const { client } = await bed.sdkTurn();

    const response = await client.responses.stream({ model: 'gpt-5', input: 'hi there' }).finalResponse();

    expect(response.status).toBe('completed');
    expect(response.output_text).toBe(echoForGateway('hi there'));
  });

  it('strips the assertion: the upstream saw the gateway credential; the gateway recorded agent, task, verdict, latency, bytes', async () => {
    const bed = await GatewayBed.open();
    const { client, turn } = await bed.sdkTurn();

    for await (const _event of await client.responses.create({ model: 'gpt-5', input: 'hello', stream: true }));

    expect(bed.backend.admin.requests()).toEqual([
      expect.objectContaining({ transport: 'http', auth: 'bearer', userId: GATEWAY_USER.userId, taskId: null }),
    ]);
    const [record] = bed.gateway.ledger.records();
    expect(record).toMatchObject({
      transport: 'http',
      path: '/v1/responses',
      agentRuntimeId: turn.task?.agentRuntimeId,
      taskId: turn.task?.taskId,
      verified: true,
      verdict: 'accepted',
      status: 200,
    });
    expect(record?.latencyMs).toBeGreaterThan(0);
    expect(record?.bytesIn).toBeGreaterThan(0);
    expect(record?.bytesOut).toBeGreaterThan(record?.bytesIn ?? 0);
  });

  it('refuses a task revoked at the backend within 1 s (401 task_invalid); createAgentFetch recovers with a new task', async () => {
    const bed = await GatewayBed.open();
    const { client, turn, thread, recoveries } = await bed.sdkTurn();
    for await (const _event of await client.responses.create({ model: 'gpt-5', input: 'before', stream: true }));
    const revoked = turn.task?.taskId ?? '';

    await bed.backend.admin.revokeTask(revoked);
    bed.advance(1_000);
    const answer = await client.responses.stream({ model: 'gpt-5', input: 'after' }).finalResponse();

    expect(answer.output_text).toBe(echoForGateway('after'));
    expect(recoveries).toEqual([expect.objectContaining({ refusal: 'task_invalid', outcome: 'retried' })]);
    expect(thread.task?.taskId).not.toBe(revoked);
    const records = bed.gateway.ledger.records();
    expect(records.map(({ taskId, verdict }) => [taskId, verdict])).toEqual([
      [revoked, 'accepted'],
      [revoked, 'task_invalid'],
      [thread.task?.taskId, 'accepted'],
    ]);
    expect(bed.gateway.ledger.totals()).toEqual({ accepted: 2, refused: { task_invalid: 1 } });
  });
});
