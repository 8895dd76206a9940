import { ResponsesWS } from 'openai/resources/responses/ws';
import type { ResponsesServerEvent } from 'openai/resources/responses/responses';
import { afterEach, expect, it } from 'vitest';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { SDK_API_KEY, SdkBed } from './support/sdk-bed.js';

afterEach(() =>
  closeRuntimeBeds((bed) => {
    expect(bed.seen()).not.toContain(SDK_API_KEY);
  }),
);

/** Every event of one response on `socket`, up to its `response.completed`; rejects on an error or a close. */
function oneResponse(socket: ResponsesWS): Promise<ResponsesServerEvent[]> {
  return new Promise((resolve, reject) => {
    const events: ResponsesServerEvent[] = [];
    socket.on('event', (event) => {
      events.push(event);
      if (event.type === 'response.completed') resolve(events);
    });
    socket.on('error', reject);
    socket.on('close', (code, reason) => {
      reject(new Error(`the socket closed (${code} ${reason}) before response.completed`));
    });
  });
}

it("the SDK's Responses WebSocket client carries the assertion in its handshake headers and completes a turn", async () => {
  const bed = await SdkBed.open();
  const { client, turn } = await bed.sdkTurn();

  // The handshake's headers override the SDK's own `Authorization: Bearer <apiKey>` (SPEC §4.7: built at connect time).
  const socket = new ResponsesWS(client, { headers: { Authorization: turn.authorizationHeader() ?? '' } });
  try {
    const answer = oneResponse(socket);
    socket.send({ type: 'response.create', model: 'gpt-5', input: 'hello over websocket' });
    const events = await answer;

    const text = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : [])).join('');
    expect(text).toBe(
      `echo: hello over websocket (agent ${turn.task?.agentRuntimeId ?? '?'}, task ${turn.task?.taskId ?? '?'})`,
    );
    expect(bed.backend.admin.requests()).toEqual([
      expect.objectContaining({
        transport: 'ws',
        auth: 'agent_assertion',
        taskId: turn.task?.taskId,
        accountIdHeader: false,
      }),
    ]);
  } finally {
    socket.close({ code: 1000, reason: 'done' });
  }
});
