import { ResponseTextAccumulator, type ResponseStreamEvent } from '@agent-identity/protocol';
import { createAgentVerifier } from '@agent-identity/verifier';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { dialAgentSocket } from '../src/dial-agent-socket.js';
import { streamResponse, type ResponseRequest } from '../src/stream-response.js';
import { TransportWsError } from '../src/transport-ws-error.js';
import { closeAgentHarnesses, startAgentHarness } from './support/agent-harness.js';
import { closeGuardServers, GuardServer } from './support/guard-server.js';
import { TestAgent } from './support/test-agent.js';

afterEach(async () => {
  await closeAgentHarnesses();
  await closeGuardServers();
});

async function collect(socket: WebSocket, request: ResponseRequest): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of streamResponse(socket, request)) events.push(event);
  return events;
}

async function failureOf(
  socket: WebSocket,
  request: ResponseRequest = { model: 'test', input: 'x' },
): Promise<unknown> {
  return collect(socket, request).then(
    () => new Error('the stream completed'),
    (error: unknown) => error,
  );
}

const agent = new TestAgent('agent-scripted');

/**
 * A service of the test's own that answers each frame with `script`: for the frames the
 * reference backend never sends.
 */
async function scriptedSocket(script: (socket: WebSocket, frame: string) => void): Promise<WebSocket> {
  const server = await GuardServer.start({
    verifier: createAgentVerifier({ keys: { publicKey: () => agent.sshPublicKey } }),
    onConnection: (socket) => {
      socket.on('message', (data: Buffer) => {
        script(socket, data.toString('utf8'));
      });
    },
  });
  const socket = await dialAgentSocket(server.url, { headers: () => ({ authorization: agent.assertion('task-1') }) });
  socket.on('error', () => undefined);
  return socket;
}

const created = { type: 'response.created', response: { id: 'resp_1' } };
const completed = {
  type: 'response.completed',
  response: { id: 'resp_1', usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } },
};

/** The turn's text as clients fold it (SPEC §3.8), and where it came from. */
function answerText(events: readonly ResponseStreamEvent[]): { text: string; source: string } {
  const answer = new ResponseTextAccumulator();
  for (const event of events) answer.add(event);
  const { text, source } = answer.finish();
  return { text, source };
}

describe('streamResponse against the reference backend', () => {
  it('sends response.create and yields every event in order, ending with response.completed', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const turn = await harness.turnAuth(thread);
    const socket = await dialAgentSocket(harness.backend.websocketUrl, turn);
    const events = await collect(socket, { model: 'test', input: 'hello there' });
    const types = events.map((event) => event.type);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.slice(4, -4).every((type) => type === 'response.output_text.delta')).toBe(true);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const text = `echo: hello there (agent ${turn.task?.agentRuntimeId}, task ${turn.task?.taskId})`;
    expect(events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : [])).join('')).toBe(
      text,
    );
    expect(answerText(events)).toEqual({ text, source: 'deltas' });
    expect((await collect(socket, { model: 'test', input: 'again' })).at(-1)?.type).toBe('response.completed');
    socket.close();
  });

  it('an error frame is RESPONSE_ERROR with the server’s code', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const socket = await dialAgentSocket(harness.backend.websocketUrl, await harness.turnAuth(thread));
    const error = await failureOf(socket, { model: 'test', input: 42 as unknown as string });
    expect(TransportWsError.isInstance(error) && error).toMatchObject({
      code: 'RESPONSE_ERROR',
      reason: 'invalid_request',
    });
    socket.close();
  });

  it('frames that are not JSON are EVENT_INVALID', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    harness.backend.admin.injectFault('responses_ws', { kind: 'garbage' });
    const socket = await dialAgentSocket(harness.backend.websocketUrl, await harness.turnAuth(thread));
    expect(await failureOf(socket)).toMatchObject({
      code: 'EVENT_INVALID',
      message: expect.stringContaining('not JSON') as unknown,
    });
    socket.close();
  });
});

describe('streamResponse: frames and closes the reference backend never sends', () => {
  it('skips event types it does not model', async () => {
    const socket = await scriptedSocket((peer) => {
      for (const event of [created, { type: 'response.reasoning_summary_text.delta', delta: 'hmm' }, completed])
        peer.send(JSON.stringify(event));
    });
    expect((await collect(socket, { model: 'test', input: 'x' })).map((event) => event.type)).toEqual([
      'response.created',
      'response.completed',
    ]);
    socket.close();
  });

  it('the frame it sends is {"type": "response.create", …request}', async () => {
    const frames: unknown[] = [];
    const socket = await scriptedSocket((peer, frame) => {
      frames.push(JSON.parse(frame));
      peer.send(JSON.stringify(completed));
    });
    await collect(socket, { model: 'gpt-test', input: [{ role: 'user', content: 'hi' }], store: false });
    expect(frames).toEqual([
      { type: 'response.create', model: 'gpt-test', input: [{ role: 'user', content: 'hi' }], store: false },
    ]);
    socket.close();
  });

  it.each([
    ['a JSON array', '[1, 2]'],
    ['an object without a type', '{"response": {}}'],
    ['a known event of the wrong shape', '{"type": "response.output_text.delta"}'],
  ])('%s is EVENT_INVALID', async (_name, frame) => {
    const socket = await scriptedSocket((peer) => {
      peer.send(frame);
    });
    expect(await failureOf(socket)).toMatchObject({ code: 'EVENT_INVALID' });
    socket.close();
  });

  it('a binary frame is EVENT_INVALID', async () => {
    const socket = await scriptedSocket((peer) => {
      peer.send(Buffer.from(JSON.stringify(completed)));
    });
    expect(await failureOf(socket)).toMatchObject({
      code: 'EVENT_INVALID',
      message: expect.stringContaining('binary') as unknown,
    });
    socket.close();
  });

  it('a close before response.completed is SOCKET_CLOSED with the close code and reason', async () => {
    const socket = await scriptedSocket((peer) => {
      peer.send(JSON.stringify(created));
      peer.close(4000, 'max connection age reached');
    });
    expect(await failureOf(socket)).toMatchObject({
      code: 'SOCKET_CLOSED',
      closeCode: 4000,
      closeReason: 'max connection age reached',
      isRetryable: true,
    });
  });

  it('a socket that is not open is SOCKET_CLOSED before anything is sent', async () => {
    const socket = await scriptedSocket(() => undefined);
    socket.close();
    expect(await failureOf(socket)).toMatchObject({ code: 'SOCKET_CLOSED' });
  });

  it('a second stream on a socket still streaming is SOCKET_BUSY; after the first, the socket is free', async () => {
    const peers: WebSocket[] = [];
    const socket = await scriptedSocket((peer) => {
      peers.push(peer);
      peer.send(JSON.stringify(created));
    });
    const first = streamResponse(socket, { model: 'test', input: 'one' });
    expect((await first.next()).value).toMatchObject({ type: 'response.created' });
    expect(await failureOf(socket)).toMatchObject({ code: 'SOCKET_BUSY' });
    peers[0]?.send(JSON.stringify(completed));
    expect((await first.next()).value).toMatchObject({ type: 'response.completed' });
    expect((await first.next()).done).toBe(true);
    const second = streamResponse(socket, { model: 'test', input: 'two' });
    expect((await second.next()).value).toMatchObject({ type: 'response.created' });
    await second.return();
    socket.close();
  });

  it('breaking out of the loop stops listening to the socket', async () => {
    const socket = await scriptedSocket((peer) => {
      peer.send(JSON.stringify(created));
    });
    const listenersBefore = socket.listenerCount('message');
    for await (const event of streamResponse(socket, { model: 'test', input: 'x' })) {
      expect(socket.listenerCount('message')).toBe(listenersBefore + 1);
      if (event.type === 'response.created') break;
    }
    expect(socket.listenerCount('message')).toBe(listenersBefore);
    socket.close();
  });
});
