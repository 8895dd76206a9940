import { BackendAdminClient } from '@agent-identity/reference-backend';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIALS_REVOKED_CLOSE_CODE } from '@agent-identity/protocol';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { GatewayError, startAgentGateway } from '../src/index.js';
import { GATEWAY_CREDENTIAL, GatewayBed } from './support/gateway-bed.js';

afterEach(() => closeRuntimeBeds());

async function post(url: string, authorization?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify({ model: 'gpt-5', input: 'hello', stream: true }),
  });
  return { status: response.status, body: await response.json() };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function wsUrl(url: string): string {
  return `${url.replace('http:', 'ws:')}/v1/responses`;
}

describe('the gateway refuses with the SPEC codes and forwards nothing', () => {
  it.each([
    ['no Authorization', undefined, 'missing_authorization'],
    ['a Bearer token (the gateway takes assertions only)', 'Bearer some-access-token', 'invalid_token'],
    ['a malformed assertion', 'AgentAssertion not-a-token', 'malformed_assertion'],
  ])('%s → 401 %s', async (_name, authorization, code) => {
    const bed = await GatewayBed.open();

    const { status, body } = await post(bed.gateway.url, authorization);

    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code } });
    expect(typeof (body as { error: { message: unknown } }).error.message).toBe('string');
    expect(bed.backend.admin.requests()).toEqual([]);
    expect(bed.gateway.ledger.records()).toEqual([
      expect.objectContaining({ transport: 'http', verdict: code, status: 401, verified: false, bytesIn: 0 }),
    ]);
  });

  it('a forged signature → 401 bad_signature, the claimed ids recorded unverified', async () => {
    const bed = await GatewayBed.open();
    const turn = await bed.turnAuth(await bed.runtime().startThread());
    const header = turn.authorizationHeader() ?? '';
    const envelope = JSON.parse(Buffer.from(header.split(' ')[1] ?? '', 'base64url').toString()) as Record<
      string,
      string
    >;
    const forged = { ...envelope, signature: Buffer.alloc(64, 1).toString('base64') };
    const forgedHeader = `AgentAssertion ${Buffer.from(JSON.stringify(forged)).toString('base64url')}`;

    const { status, body } = await post(bed.gateway.url, forgedHeader);

    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code: 'bad_signature' } });
    expect(bed.gateway.ledger.records()[0]).toMatchObject({
      agentRuntimeId: envelope.agent_runtime_id,
      taskId: envelope.task_id,
      verified: false,
    });
  });

  it('a registry that cannot be read → 503 registry_unavailable, never a pass', async () => {
    const bed = await GatewayBed.open();
    const turn = await bed.turnAuth(await bed.runtime().startThread());
    await using gateway = await startAgentGateway({
      upstream: bed.backend.baseUrl,
      upstreamAuthorization: GATEWAY_CREDENTIAL,
      admin: new BackendAdminClient({ url: `http://127.0.0.1:${await closedPort()}` }),
    });

    const { status, body } = await post(gateway.url, turn.authorizationHeader());

    expect(status).toBe(503);
    expect(body).toMatchObject({ error: { code: 'registry_unavailable' } });
    expect(bed.backend.admin.requests()).toEqual([]);
  });

  it('an unreachable upstream → 502 upstream_unavailable', async () => {
    const bed = await GatewayBed.open({ upstream: `http://127.0.0.1:${await closedPort()}` });
    const turn = await bed.turnAuth(await bed.runtime().startThread());

    const { status, body } = await post(bed.gateway.url, turn.authorizationHeader());

    expect(status).toBe(502);
    expect(body).toMatchObject({ error: { code: 'upstream_unavailable' } });
  });

  it('a WebSocket handshake without credentials gets the 401 JSON before any upgrade', async () => {
    const bed = await GatewayBed.open();
    const socket = new WebSocket(wsUrl(bed.gateway.url));

    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
      });
    });

    expect(status).toBe(401);
    expect(bed.gateway.ledger.records()).toEqual([
      expect.objectContaining({ transport: 'ws', verdict: 'missing_authorization', status: 401 }),
    ]);
    expect(bed.backend.admin.webSockets()).toEqual([]);
  });

  it('a task revoked while its WebSocket is open: the next frame closes it with 4401 task_invalid within 1 s', async () => {
    const bed = await GatewayBed.open();
    const turn = await bed.turnAuth(await bed.runtime().startThread());
    const socket = new WebSocket(wsUrl(bed.gateway.url), { headers: turn.headers() });
    const events: string[] = [];
    const send = (input: string): void => {
      socket.send(JSON.stringify({ type: 'response.create', model: 'gpt-5', input }));
    };
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => {
        send('first');
      });
      socket.on('message', (data: Buffer) => {
        const type = (JSON.parse(data.toString()) as { type: string }).type;
        events.push(type);
        if (type === 'response.completed') resolve();
      });
      socket.on('error', reject);
    });

    await bed.backend.admin.revokeTask(turn.task?.taskId ?? '');
    bed.advance(1_000);
    const closed = new Promise<[number, string]>((resolve) =>
      socket.on('close', (code, reason) => {
        resolve([code, reason.toString()]);
      }),
    );
    send('second');

    expect(await closed).toEqual([CREDENTIALS_REVOKED_CLOSE_CODE, 'task_invalid']);
    expect(events.filter((type) => type === 'response.completed')).toHaveLength(1);
    expect(bed.gateway.ledger.records().map(({ verdict }) => verdict)).toEqual(['accepted', 'task_invalid']);
  });
});

describe('options', () => {
  it('a gateway without a registry or an admin API to read one from is OPTIONS_INVALID', async () => {
    const attempt = startAgentGateway({ upstream: 'http://127.0.0.1:1', upstreamAuthorization: 'Bearer x' });
    await expect(attempt).rejects.toSatisfy(
      (error) => GatewayError.isInstance(error) && error.code === 'OPTIONS_INVALID',
    );
  });

  it('an upstream that is not http(s) is OPTIONS_INVALID, and the credential is not in the message', async () => {
    const admin = new BackendAdminClient({ url: 'http://127.0.0.1:1' });
    const attempt = startAgentGateway({
      upstream: 'ftp://model',
      upstreamAuthorization: 'Bearer secret-upstream-key',
      admin,
    });
    await expect(attempt).rejects.toSatisfy(
      (error) =>
        GatewayError.isInstance(error) && error.code === 'OPTIONS_INVALID' && !error.message.includes('secret'),
    );
  });

  it('a port in use is LISTEN_FAILED naming the address, not OPTIONS_INVALID (issue 12 item 9)', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const attempt = startAgentGateway({
        upstream: 'http://127.0.0.1:1',
        upstreamAuthorization: 'Bearer x',
        admin: new BackendAdminClient({ url: 'http://127.0.0.1:1' }),
        port,
      });

      await expect(attempt).rejects.toSatisfy(
        (error) =>
          GatewayError.isInstance(error) &&
          error.code === 'LISTEN_FAILED' &&
          error.message === `cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
      );
    } finally {
      taken.close();
    }
  });
});
