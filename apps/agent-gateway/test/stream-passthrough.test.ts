import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { closeRuntimeBeds, COMPLETING_STREAMS, ScriptedModelServer } from '@agent-identity/test-bed';
import { AGENT_RUNTIME_ID_HEADER, AGENT_TASK_ID_HEADER } from '../src/index.js';
import { GATEWAY_CREDENTIAL, GatewayBed } from './support/gateway-bed.js';

const servers: ScriptedModelServer[] = [];
afterEach(async () => {
  await closeRuntimeBeds();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A bed whose gateway forwards to a scripted model server (not the reference backend), and an assertion for it. */
async function scriptedBed(): Promise<{ bed: GatewayBed; model: ScriptedModelServer; assertion: string }> {
  const model = await ScriptedModelServer.start();
  servers.push(model);
  const bed = await GatewayBed.open({ upstream: model.url });
  const turn = await bed.turnAuth(await bed.runtime().startThread());
  const assertion = turn.authorizationHeader() ?? '';
  return { bed, model, assertion };
}

/** The SSE framing the scripted server writes, for comparing byte for byte. */
const sseOf = (events: readonly object[]): string =>
  events.map((event) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`).join('');

describe('what the upstream answers reaches the client unchanged', () => {
  it.each(COMPLETING_STREAMS)('HTTP: $name, byte for byte', async (stream) => {
    const { bed, model, assertion } = await scriptedBed();
    model.play(stream);

    const response = await fetch(`${bed.gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: assertion, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5', input: 'hello', stream: true }),
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await response.text()).toBe(sseOf(stream.events));
    expect(bed.gateway.ledger.records()[0]?.bytesOut).toBe(Buffer.byteLength(sseOf(stream.events)));
  });

  it('WebSocket: every frame as the upstream sent it, and one record per response.create', async () => {
    const { bed, model, assertion } = await scriptedBed();
    const [stream] = COMPLETING_STREAMS;
    if (stream === undefined) throw new Error('no scripted stream');
    model.play(stream);

    const socket = new WebSocket(`${bed.gateway.url.replace('http:', 'ws:')}/v1/responses`, {
      headers: { authorization: assertion },
    });
    const frames: string[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'response.create', model: 'gpt-5', input: 'hi' }));
      });
      socket.on('message', (data: Buffer) => {
        frames.push(data.toString('utf8'));
        if (frames.length === stream.events.length) resolve();
      });
      socket.on('error', reject);
    });
    socket.close();

    expect(frames).toEqual(stream.events.map((event) => JSON.stringify(event)));
    expect(bed.gateway.ledger.records()).toEqual([
      expect.objectContaining({ transport: 'ws', verdict: 'accepted', status: 101 }),
    ]);
  });

  it("the upstream gets the gateway's credential and the verified agent and task, never the caller's credentials", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const upstream = createServer((request, response) => {
      seen.push(request.headers);
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' }).end();
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    try {
      const bed = await GatewayBed.open({ upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
      const turn = await bed.turnAuth(await bed.runtime().startThread());
      const assertion = turn.authorizationHeader() ?? '';
      await fetch(`${bed.gateway.url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: assertion, 'chatgpt-account-id': 'account-1', 'content-type': 'application/json' },
        body: '{}',
      });

      expect(seen).toEqual([
        expect.objectContaining({
          authorization: GATEWAY_CREDENTIAL,
          [AGENT_RUNTIME_ID_HEADER]: turn.task?.agentRuntimeId,
          [AGENT_TASK_ID_HEADER]: turn.task?.taskId,
          'content-type': 'application/json',
        }),
      ]);
      expect(seen[0]).not.toHaveProperty('chatgpt-account-id');
    } finally {
      upstream.closeAllConnections();
      upstream.close();
    }
  });
});
