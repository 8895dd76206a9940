import { ResponseTextAccumulator, type ResponseStreamEvent } from '@agent-identity/protocol';
import { COMPLETING_STREAMS, FAILING_STREAMS, ScriptedModelServer } from '@agent-identity/test-bed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { dialAgentSocket } from '../src/dial-agent-socket.js';
import { streamResponse } from '../src/stream-response.js';
import { TransportWsError } from '../src/transport-ws-error.js';

/**
 * `streamResponse` against a model server that is not the reference backend (SPEC §3.8: clients
 * are liberal in what they accept): the scripted streams of `@agent-identity/test-bed`, the same
 * table agent-cli's turn is tested with.
 */
describe('streamResponse against an independent model server', () => {
  let model: ScriptedModelServer;
  beforeAll(async () => {
    model = await ScriptedModelServer.start();
  });
  afterAll(async () => {
    await model.close();
  });

  async function dial(): Promise<WebSocket> {
    const socket = await dialAgentSocket(`${model.url.replace('http', 'ws')}/v1/responses`, {
      headers: () => ({ authorization: 'AgentAssertion scripted' }),
    });
    socket.on('error', () => undefined);
    return socket;
  }

  it.each(COMPLETING_STREAMS.map((stream) => [stream.name, stream] as const))(
    'completes on %s; the events fold to the answer',
    async (_name, stream) => {
      model.play(stream);
      const socket = await dial();
      const events: ResponseStreamEvent[] = [];
      for await (const event of streamResponse(socket, { model: 'gpt-independent', input: 'hi' })) events.push(event);
      socket.close();

      expect(events.at(-1)?.type).toBe('response.completed');
      const answer = new ResponseTextAccumulator();
      for (const event of events) answer.add(event);
      expect(answer.finish()).toMatchObject({
        text: stream.text,
        source: stream.deltas ? 'deltas' : 'output_item_done',
        responseId: 'resp_independent',
      });
    },
  );

  it.each(FAILING_STREAMS.map((stream) => [stream.name, stream] as const))(
    'throws what happened on %s',
    async (_name, stream) => {
      model.play(stream);
      const socket = await dial();
      const error = await (async () => {
        for await (const event of streamResponse(socket, { model: 'gpt-independent', input: 'hi' }))
          expect(event.type).not.toBe('response.completed');
      })().then(
        () => new Error('the stream completed'),
        (thrown: unknown) => thrown,
      );
      socket.close();

      if (!TransportWsError.isInstance(error)) throw error;
      if (stream.serverMessage === undefined) {
        expect(error).toMatchObject({
          code: 'SOCKET_CLOSED',
          closeCode: 1000,
          message: expect.stringContaining('before the response completed') as unknown,
        });
      } else {
        expect(error).toMatchObject({
          code: 'RESPONSE_ERROR',
          reason: 'server_error',
          message: expect.stringContaining(stream.serverMessage) as unknown,
        });
      }
    },
  );
});
