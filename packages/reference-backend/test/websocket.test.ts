import { describe, expect, it } from 'vitest';
import { startReferenceBackend, WS_CLOSE_MAX_AGE, WS_CLOSE_MAX_AGE_REASON, WS_CLOSE_SHUTDOWN } from '../src/index.js';
import {
  closeOf,
  collectFrames,
  completedFrameText,
  connectWebSocket,
  createResponseOverWebSocket,
} from './protocol-client.js';
import { alice } from './test-users.js';

const bearer = `Bearer ${alice.accessToken}`;

async function openSocket(websocketUrl: string) {
  const outcome = await connectWebSocket(websocketUrl, bearer);
  if (outcome.kind !== 'open') throw new Error(`handshake failed: ${outcome.kind}`);
  return outcome.socket;
}

describe('WebSocket …/v1/responses', () => {
  it('answers every response.create frame on one socket', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const socket = await openSocket(backend.websocketUrl);
    const first = await createResponseOverWebSocket(socket, 'one');
    const second = await createResponseOverWebSocket(socket, 'two');
    socket.close();
    expect(completedFrameText(first)).toBe('echo: one (user user-alice)');
    expect(completedFrameText(second)).toBe('echo: two (user user-alice)');
  });

  it.each([
    ['a frame that is not JSON', 'hello'],
    ['a frame of another type', JSON.stringify({ type: 'session.update' })],
    ['a response.create without input', JSON.stringify({ type: 'response.create', model: 'm' })],
  ])('answers %s with an error frame and keeps the socket open', async (_name, frame) => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const socket = await openSocket(backend.websocketUrl);
    expect(await collectFrames(socket, frame)).toEqual([
      { type: 'error', error: { code: 'invalid_request', message: expect.any(String) as unknown } },
    ]);
    expect((await createResponseOverWebSocket(socket, 'still here')).at(-1)).toMatchObject({
      type: 'response.completed',
    });
    socket.close();
  });

  it('refuses an upgrade on another path with 404', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const outcome = await connectWebSocket(backend.websocketUrl.replace('/v1/responses', '/v1/other'), bearer);
    expect(outcome).toMatchObject({ kind: 'refused', status: 404 });
  });

  it('upgrades only at the exact path under the prefix: elsewhere a 404 that names the paths that exist', async () => {
    await using backend = await startReferenceBackend({ users: [alice], pathPrefix: '/backend-api' });
    const socket = await openSocket(`${backend.url.replace('http', 'ws')}/backend-api/v1/responses`);
    expect((await createResponseOverWebSocket(socket, 'x')).at(-1)).toMatchObject({ type: 'response.completed' });
    socket.close();
    const outcome = await connectWebSocket(
      `${backend.url.replace('http', 'ws')}/backend-api/codex/v1/responses`,
      bearer,
    );
    if (outcome.kind !== 'refused') throw new Error(`expected a refusal, got ${outcome.kind}`);
    expect(outcome.status).toBe(404);
    expect(JSON.parse(outcome.body)).toMatchObject({
      error: { code: 'not_found', paths: expect.arrayContaining(['/backend-api/v1/responses']) as unknown },
    });
  });

  it('closes sockets older than a maximum age set later, with code 4000', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const socket = await openSocket(backend.websocketUrl);
    const closed = closeOf(socket);
    backend.admin.setWebSocketMaxAge(0);
    expect(await closed).toEqual({ code: WS_CLOSE_MAX_AGE, reason: WS_CLOSE_MAX_AGE_REASON });
  });

  it('closes a socket opened under a maximum age once it reaches it', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.setWebSocketMaxAge(50);
    const socket = await openSocket(backend.websocketUrl);
    expect(await closeOf(socket)).toEqual({ code: WS_CLOSE_MAX_AGE, reason: WS_CLOSE_MAX_AGE_REASON });
  });

  it('lifting the maximum age keeps sockets open', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.setWebSocketMaxAge(60_000);
    const socket = await openSocket(backend.websocketUrl);
    backend.admin.setWebSocketMaxAge(null);
    expect(backend.admin.webSocketMaxAge()).toBeNull();
    expect((await createResponseOverWebSocket(socket, 'alive')).at(-1)).toMatchObject({ type: 'response.completed' });
    socket.close();
  });

  it('close() ends open sockets with 1001', async () => {
    const backend = await startReferenceBackend({ users: [alice] });
    const socket = await openSocket(backend.websocketUrl);
    const closed = closeOf(socket);
    await backend.close();
    expect((await closed).code).toBe(WS_CLOSE_SHUTDOWN);
  });
});
