import { describe, expect, it, vi } from 'vitest';
import { MAX_DELTAS } from '../src/response-stream.js';
import { MAX_ECHOED_CHARS } from '../src/echo-answer.js';
import { startReferenceBackend, WS_CLOSE_IDLE, WS_CLOSE_IDLE_REASON } from '../src/index.js';
import {
  closeOf,
  connectWebSocket,
  createResponseOverWebSocket,
  postResponses,
  registerAgentWithTask,
} from './protocol-client.js';
import { alice } from './test-users.js';

// Issue 11 items 2 and 3: idle sockets lived forever, sockets had no cap, one request echoed without bound.
describe('WebSocket limits and the bounded echo', () => {
  it('closes a socket that sends nothing for webSocketIdleTimeoutMs with 4002 idle timeout', async () => {
    await using backend = await startReferenceBackend({ users: [alice], webSocketIdleTimeoutMs: 200 });
    const handshake = await connectWebSocket(backend.websocketUrl, `Bearer ${alice.accessToken}`);
    if (handshake.kind !== 'open') throw new Error('handshake refused');
    expect(await closeOf(handshake.socket)).toEqual({ code: WS_CLOSE_IDLE, reason: WS_CLOSE_IDLE_REASON });
    await vi.waitFor(() => {
      expect(backend.admin.webSockets()).toEqual([]);
    });
  });

  it('refuses a handshake beyond maxWebSocketConnections with 503 too_many_connections', async () => {
    await using backend = await startReferenceBackend({ users: [alice], maxWebSocketConnections: 2 });
    const bearer = `Bearer ${alice.accessToken}`;
    const open = [
      await connectWebSocket(backend.websocketUrl, bearer),
      await connectWebSocket(backend.websocketUrl, bearer),
    ];
    const third = await connectWebSocket(backend.websocketUrl, bearer);
    expect(third).toMatchObject({ kind: 'refused', status: 503 });
    if (third.kind === 'refused') {
      expect(third.headers['retry-after']).toBe('1');
      expect((JSON.parse(third.body) as { error: { code: string } }).error.code).toBe('too_many_connections');
    }
    for (const handshake of open) if (handshake.kind === 'open') handshake.socket.close();
  });

  it('answers a 60 KB request with a bounded stream over HTTP: the echo is cut and the deltas capped', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    const words = 'ab '.repeat(20_000);
    const response = await postResponses(backend.responsesUrl, agent.assertion(), words);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(Buffer.byteLength(body)).toBeLessThan(64 * 1024);
    expect(body.match(/^event: response\.output_text\.delta$/gm)?.length).toBeLessThanOrEqual(MAX_DELTAS);
    expect(body).toContain(
      `"text":"echo: ${'ab '.repeat(Math.ceil(MAX_ECHOED_CHARS / 3)).slice(0, MAX_ECHOED_CHARS)}… (agent`,
    );
  });

  it('answers a 60 KB request with a bounded number of frames over WebSocket', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    const handshake = await connectWebSocket(backend.websocketUrl, agent.assertion());
    if (handshake.kind !== 'open') throw new Error('handshake refused');
    const frames = await createResponseOverWebSocket(handshake.socket, 'ab '.repeat(20_000));
    handshake.socket.close();
    expect(
      frames.filter((frame) => (frame as { type?: string }).type === 'response.output_text.delta').length,
    ).toBeLessThanOrEqual(MAX_DELTAS);
    expect(Buffer.byteLength(JSON.stringify(frames))).toBeLessThan(64 * 1024);
  });
});
