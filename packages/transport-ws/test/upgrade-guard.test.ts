import { readFileSync } from 'node:fs';
import { createAgentVerifier, type TaskStatus } from '@agent-identity/verifier';
import { WebSocket, WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CapturingLogger } from '@agent-identity/core/testing';
import { closeGuardServers, GuardServer } from './support/guard-server.js';
import { TestAgent } from './support/test-agent.js';
import { createUpgradeGuard, IDLE_CLOSE_CODE, IDLE_CLOSE_REASON } from '../src/index.js';
import { attemptUpgrade, closeOf, type UpgradeOutcome } from './support/upgrade-attempt.js';

afterEach(closeGuardServers);

const golden = JSON.parse(readFileSync(new URL('fixtures/golden-vectors.json', import.meta.url), 'utf8')) as {
  ssh_public_key: string;
  assertion: { header: string; timestamp: string };
};

const agent = new TestAgent('agent-guard');
const stranger = new TestAgent('agent-stranger');
const TASKS: Readonly<Record<string, TaskStatus>> = { 'task-active': 'active', 'task-revoked': 'revoked' };

/** A real verifier that knows `agent` (and the golden vector's agent) and its tasks. */
function verifier(nowMs: () => number = Date.now) {
  const keys: Readonly<Record<string, string>> = {
    [agent.agentRuntimeId]: agent.sshPublicKey,
    'agent-123': golden.ssh_public_key,
  };
  return createAgentVerifier({
    keys: { publicKey: (id) => keys[id] },
    tasks: { taskStatus: (id, task) => (id === 'agent-123' ? 'active' : (TASKS[task] ?? 'unknown')) },
    now: nowMs,
  });
}

function refusedWith(outcome: UpgradeOutcome) {
  if (outcome.kind !== 'refused') throw new Error('the upgrade was accepted');
  return outcome;
}

describe('upgrade guard: a valid assertion (G3, G5)', () => {
  it('accepts the socket and hands the verified identity to the connection handler', async () => {
    const server = await GuardServer.start({ verifier: verifier() });
    const now = Date.now();
    const outcome = await attemptUpgrade(server.url, { authorization: agent.assertion('task-active', now) });
    expect(outcome.kind).toBe('open');
    expect(server.accepted).toHaveLength(1);
    expect(server.accepted[0]?.caller).toEqual({
      scheme: 'assertion',
      identity: {
        agentRuntimeId: 'agent-guard',
        taskId: 'task-active',
        timestamp: new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
        epochMs: Math.floor(now / 1000) * 1000,
      },
    });
    expect(server.announced.map((entry) => entry.caller)).toEqual([server.accepted[0]?.caller]);
    expect(server.announced[0]?.request).toBe(server.accepted[0]?.request);
    if (outcome.kind === 'open') outcome.socket.close();
  });

  it('accepts the SPEC golden assertion at its own second (wire compatibility)', async () => {
    const server = await GuardServer.start({ verifier: verifier(() => Date.parse(golden.assertion.timestamp)) });
    const outcome = await attemptUpgrade(server.url, { authorization: golden.assertion.header });
    expect(outcome.kind).toBe('open');
    expect(server.accepted[0]?.caller.identity).toMatchObject({ agentRuntimeId: 'agent-123', taskId: 'task-123' });
    if (outcome.kind === 'open') outcome.socket.close();
  });

  it('frames flow on the accepted socket', async () => {
    const server = await GuardServer.start({
      verifier: verifier(),
      onConnection: (socket, caller) => {
        socket.on('message', () => {
          socket.send(`hello ${caller.identity.taskId}`);
        });
      },
    });
    const outcome = await attemptUpgrade(server.url, { authorization: agent.assertion('task-active') });
    if (outcome.kind !== 'open') throw new Error('refused');
    const reply = new Promise<string>((resolve) =>
      outcome.socket.once('message', (data: Buffer) => {
        resolve(data.toString());
      }),
    );
    outcome.socket.send('hi');
    expect(await reply).toBe('hello task-active');
    outcome.socket.close();
  });
});

describe('upgrade guard: every bad header is an HTTP 401 with its SPEC §3.8 code, never a socket (G1–G4)', () => {
  const now = Date.now();
  const cases: [string, Record<string, string>, string][] = [
    ['no Authorization header', {}, 'missing_authorization'],
    ['a blank Authorization header', { authorization: '   ' }, 'missing_authorization'],
    [
      'an AgentAssertion that is not base64url JSON',
      { authorization: 'AgentAssertion !!!not-a-token' },
      'malformed_assertion',
    ],
    ['an AgentAssertion scheme without a token', { authorization: 'AgentAssertion' }, 'malformed_assertion'],
    ['an unknown agent', { authorization: stranger.assertion('task-active', now) }, 'unknown_agent'],
    ['an unknown task', { authorization: agent.assertion('task-never-registered', now) }, 'unknown_task'],
    ['a revoked task', { authorization: agent.assertion('task-revoked', now) }, 'task_invalid'],
    [
      'a signature by another key',
      { authorization: stranger.assertion('task-active', now, agent.agentRuntimeId) },
      'bad_signature',
    ],
    ['a timestamp 301 s old', { authorization: agent.assertion('task-active', now - 301_000) }, 'expired'],
    ['a timestamp 301 s ahead', { authorization: agent.assertion('task-active', now + 301_000) }, 'from_future'],
    ['a Bearer token (no bearer callback)', { authorization: 'Bearer some-access-token' }, 'invalid_token'],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }, 'invalid_token'],
  ];

  it.each(cases)('%s → 401 %s', async (_name, headers, code) => {
    const server = await GuardServer.start({ verifier: verifier(() => now) });
    const refused = refusedWith(await attemptUpgrade(server.url, headers));
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toBe('application/json');
    expect(refused.headers['www-authenticate']).toBe('AgentAssertion');
    // RFC 9110 §6.6.1; a client refused for its timestamp corrects its clock from it
    expect(Math.abs(Date.parse(String(refused.headers.date)) - Date.now())).toBeLessThan(2_000);
    expect(refused.body).toEqual({ error: { code, message: expect.any(String) as unknown } });
    expect(JSON.stringify(refused.body)).not.toContain(headers.authorization?.trim().split(' ')[1] ?? 'never-matches');
    expect(server.accepted).toEqual([]);
    expect(server.announced).toEqual([]);
    expect(server.wss.clients.size).toBe(0);
  });
});

describe('upgrade guard: bearer tokens through the optional callback (G4)', () => {
  const users: Readonly<Record<string, { userId: string }>> = { 'token-alice': { userId: 'user-alice' } };

  it('a token the callback knows: accepted, with what the callback returned', async () => {
    const server = await GuardServer.start<{ userId: string }>({
      verifier: verifier(),
      authenticateBearer: (token) => Promise.resolve(users[token]),
    });
    const outcome = await attemptUpgrade(server.url, { authorization: 'bearer   token-alice' });
    expect(outcome.kind).toBe('open');
    expect(server.accepted[0]?.caller).toEqual({ scheme: 'bearer', identity: { userId: 'user-alice' } });
    if (outcome.kind === 'open') outcome.socket.close();
  });

  it('a token it does not know: 401 invalid_token, and the challenge names both schemes', async () => {
    const server = await GuardServer.start<{ userId: string }>({
      verifier: verifier(),
      authenticateBearer: (token) => users[token],
    });
    const refused = refusedWith(await attemptUpgrade(server.url, { authorization: 'Bearer token-mallory' }));
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
    expect(refused.headers['www-authenticate']).toBe('AgentAssertion, Bearer');
    expect(server.accepted).toEqual([]);
  });

  it('assertions are still verified when a bearer callback is given', async () => {
    const server = await GuardServer.start<{ userId: string }>({
      verifier: verifier(),
      authenticateBearer: (token) => users[token],
    });
    const refused = refusedWith(await attemptUpgrade(server.url, { authorization: stranger.assertion('task-active') }));
    expect(refused.body).toMatchObject({ error: { code: 'unknown_agent' } });
  });
});

describe('upgrade guard: server faults', () => {
  it('a key registry that throws: 500 server_error, logged without the header, no socket', async () => {
    const logger = new CapturingLogger();
    const failing = createAgentVerifier({
      keys: {
        publicKey: () => {
          throw new Error('database is down');
        },
      },
    });
    const server = await GuardServer.start({ verifier: failing, logger });
    const header = agent.assertion('task-active');
    const refused = refusedWith(await attemptUpgrade(server.url, { authorization: header }));
    expect(refused).toMatchObject({ status: 500, body: { error: { code: 'server_error' } } });
    expect(logger.lines).toMatchObject([{ level: 'error', fields: { error: 'database is down' } }]);
    expect(logger.text()).not.toContain(header.split(' ')[1]);
    expect(server.accepted).toEqual([]);
  });

  it('a client that hangs up while its header is verified is never upgraded', async () => {
    let release: (key: string) => void = () => undefined;
    let asked: () => void = () => undefined;
    const lookupStarted = new Promise<void>((resolve) => (asked = resolve));
    const slow = createAgentVerifier({
      keys: {
        publicKey: () => {
          asked();
          return new Promise<string>((resolve) => (release = resolve));
        },
      },
    });
    const server = await GuardServer.start({ verifier: slow });
    const serverSocketClosed = new Promise<void>((resolve) => {
      // The HTTP server keeps sockets half-open: the client's hang-up shows as 'end'.
      server.onNextUpgrade((socket) =>
        socket.once('end', () => {
          resolve();
        }),
      );
    });
    const client = new WebSocket(server.url, { headers: { authorization: agent.assertion('task-active') } });
    client.on('error', () => undefined);
    await lookupStarted;
    client.terminate();
    await serverSocketClosed;
    release(agent.sshPublicKey);
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.accepted).toEqual([]);
    expect(server.wss.clients.size).toBe(0);
  });
});

// Issue 11 item 2: idle sockets lived forever and their number had no bound.
describe('upgrade guard: limits of accepted sockets', () => {
  it('refuses a handshake beyond maxConnections with 503 too_many_connections, and accepts again once one closed', async () => {
    const server = await GuardServer.start({ verifier: verifier(), maxConnections: 1 });
    const first = await attemptUpgrade(server.url, { authorization: agent.assertion('task-active') });
    if (first.kind !== 'open') throw new Error('the first upgrade was refused');
    const second = refusedWith(await attemptUpgrade(server.url, { authorization: agent.assertion('task-active') }));
    expect(second.status).toBe(503);
    expect(second.headers['retry-after']).toBe('1');
    expect(second.body).toEqual({
      error: { code: 'too_many_connections', message: 'the server has as many WebSockets open as it allows' },
    });
    const firstClosed = closeOf(server.accepted[0]!.socket);
    first.socket.close();
    await firstClosed;
    const third = await attemptUpgrade(server.url, { authorization: agent.assertion('task-active') });
    expect(third.kind).toBe('open');
    if (third.kind === 'open') third.socket.close();
  });

  it('closes an accepted socket that sends nothing for idleTimeoutMs with 4002 idle timeout', async () => {
    const server = await GuardServer.start({ verifier: verifier(), idleTimeoutMs: 150 });
    const outcome = await attemptUpgrade(server.url, { authorization: agent.assertion('task-active') });
    if (outcome.kind !== 'open') throw new Error('the upgrade was refused');
    expect(await closeOf(outcome.socket)).toEqual({ code: IDLE_CLOSE_CODE, reason: IDLE_CLOSE_REASON });
  });

  it('refuses limits that are not positive integers with OPTIONS_INVALID', () => {
    for (const options of [{ maxConnections: 0 }, { idleTimeoutMs: 1.5 }]) {
      expect(() =>
        createUpgradeGuard({ verifier: verifier(), wss: new WebSocketServer({ noServer: true }), ...options }),
      ).toThrow(expect.objectContaining({ code: 'OPTIONS_INVALID' }));
    }
  });
});
