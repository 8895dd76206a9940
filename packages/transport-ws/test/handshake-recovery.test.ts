import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AgentThread } from '@agent-identity/core';
import { decodeAgentAssertionHeader, ResponseTextAccumulator } from '@agent-identity/protocol';
import { MemoryRegistryStore } from '@agent-identity/registry';
import { startReferenceBackend } from '@agent-identity/reference-backend';
import { USERS } from '@agent-identity/test-bed';
import type { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { streamResponse } from '../src/stream-response.js';
import { TransportWsError } from '../src/transport-ws-error.js';
import { closeAgentHarnesses, startAgentHarness, type AgentHarness } from './support/agent-harness.js';
import { startBackendGuard } from './support/backend-guard.js';
import { closeGuardServers } from './support/guard-server.js';

afterEach(async () => {
  await closeAgentHarnesses();
  await closeGuardServers();
});

// The servers run on real time (their `Date` headers are real); a resumed runtime is given a local
// clock that is off by a known amount.
const TEN_MINUTES_MS = 10 * 60_000;
/** How close a corrected time must be to the real one: the Date header's second plus a round trip. */
const TOLERANCE_MS = 3_000;

/** The answer text of one Responses turn over `socket`. */
async function answerOver(socket: WebSocket, input: string): Promise<string | undefined> {
  const answer = new ResponseTextAccumulator();
  for await (const event of streamResponse(socket, { model: 'test', input })) answer.add(event);
  return answer.finish().text;
}

function failureOf(checkout: Promise<unknown>): Promise<unknown> {
  return checkout.then(
    () => new Error('the checkout succeeded'),
    (error: unknown) => error,
  );
}

/** The thread `thread` as a second runtime on the same stores resumes it: its cached task, no backend call. */
async function resumed(harness: AgentHarness, thread: AgentThread, overrides: Parameters<AgentHarness['runtime']>[0]) {
  const runtime = harness.runtime(overrides);
  const again = await runtime.resumeThread(thread.id);
  await again.prewarmed;
  expect(again.task).toEqual(thread.task);
  return { runtime, thread: again };
}

describe('C5: the agent revoked or forgotten, the task lost (SPEC §5, beyond Codex)', () => {
  it('an agent revoked at the backend (unknown_agent): one new identity, one new task, one redial; the new assertion is accepted', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const pool = harness.pool(thread);
    const turn = await harness.turnAuth(thread);
    const revoked = turn.task!;
    await harness.backend.admin.revokeAgent(revoked.agentRuntimeId);
    const before = harness.backend.admin.counters();

    using lease = await pool.checkout(turn);

    const after = harness.backend.admin.counters();
    expect(after.agentRegistrations - before.agentRegistrations).toBe(1);
    expect(after.taskRegistrations - before.taskRegistrations).toBe(1);
    expect(after.downstream.ws).toEqual({ accepted: 1, rejected: { unknown_agent: 1 } });
    const renewed = thread.task!;
    expect(renewed.agentRuntimeId).not.toBe(revoked.agentRuntimeId);
    expect(lease.auth.task).toEqual(renewed);
    expect(await harness.stateLines(thread.id)).toEqual([revoked, null, renewed]);
    expect(await answerOver(lease.socket, 'after revocation')).toBe(
      `echo: after revocation (agent ${renewed.agentRuntimeId}, task ${renewed.taskId})`,
    );
  });

  it('a backend restarted without its data (unknown_agent): the resumed thread’s first dial recovers', async () => {
    const harness = await startAgentHarness();
    const original = await harness.thread();
    const task = original.task!;
    await using fresh = await startReferenceBackend({ users: USERS });
    const { thread } = await resumed(harness, original, { baseUrl: fresh.baseUrl });
    const pool = harness.pool(thread, { url: fresh.websocketUrl });

    const lease = await pool.checkout(await harness.turnAuth(thread));

    const counters = fresh.admin.counters();
    expect(counters.agentRegistrations).toBe(1);
    expect(counters.taskRegistrations).toBe(1);
    expect(counters.downstream.ws).toEqual({ accepted: 1, rejected: { unknown_agent: 1 } });
    const renewed = thread.task!;
    expect(await harness.stateLines(thread.id)).toEqual([task, null, renewed]);
    expect(await answerOver(lease.socket, 'after the restart')).toBe(
      `echo: after the restart (agent ${renewed.agentRuntimeId}, task ${renewed.taskId})`,
    );
    lease.release();
    await pool.close();
  });

  it('a backend restored from data older than the task (unknown_task): one new task under the same identity, one redial', async () => {
    try {
      const harness = await startAgentHarness({});
      const original = await harness.thread();
      const task = original.task!;
      // The restored registry: the agents, none of the tasks.
      const restored = new MemoryRegistryStore();
      for (const agent of await harness.backend.admin.agents()) await restored.addAgent(agent);
      await using backup = await startReferenceBackend({ users: USERS, registry: restored });
      const { thread } = await resumed(harness, original, { baseUrl: backup.baseUrl });
      const pool = harness.pool(thread, { url: backup.websocketUrl });

      const lease = await pool.checkout(await harness.turnAuth(thread));

      const counters = backup.admin.counters();
      expect(counters.agentRegistrations).toBe(0);
      expect(counters.taskRegistrations).toBe(1);
      expect(counters.downstream.ws).toEqual({ accepted: 1, rejected: { unknown_task: 1 } });
      const renewed = thread.task!;
      expect(renewed.agentRuntimeId).toBe(task.agentRuntimeId);
      expect(renewed.taskId).not.toBe(task.taskId);
      expect(await harness.stateLines(thread.id)).toEqual([task, null, renewed]);
      expect(lease.auth.task).toEqual(renewed);
      lease.release();
      await pool.close();
    } finally {
      await closeAgentHarnesses();
    }
  });
});

/**
 * A downstream that refuses every handshake with 401 `expired`, its `Date` = `dateMs()`; before the
 * first answer it runs `beforeFirstAnswer`. Records each handshake's `Authorization`.
 */
async function startRefusingServer(
  dateMs: () => number,
  beforeFirstAnswer: () => Promise<void> = () => Promise.resolve(),
) {
  const authorizations: string[] = [];
  const server = createServer();
  server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    authorizations.push(request.headers.authorization ?? '');
    const first = authorizations.length === 1;
    void (first ? beforeFirstAnswer() : Promise.resolve()).then(() => {
      const body = JSON.stringify({ error: { code: 'expired', message: 'too old' } });
      socket.end(
        `HTTP/1.1 401 Unauthorized\r\ndate: ${new Date(dateMs()).toUTCString()}\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1/responses`,
    signedAtMs: () => authorizations.map((header) => Date.parse(decodeAgentAssertionHeader(header).timestamp)),
    [Symbol.asyncDispose]: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('C6: a handshake refused for its timestamp (SPEC §5, security rules: only the identity backend corrects the clock)', () => {
  it('a hostile downstream refusing with Date: now+23h never moves the clock: not redialed, nothing signed in the future', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    await using server = await startRefusingServer(() => Date.now() + 23 * 60 * 60_000);
    const pool = harness.pool(thread, { url: server.url });

    const error = await failureOf(pool.checkout(await harness.turnAuth(thread)));

    expect(TransportWsError.isInstance(error) && error).toMatchObject({
      code: 'HANDSHAKE_REJECTED',
      status: 401,
      reason: 'expired',
    });
    expect(harness.mainRuntime.clockOffsetMs).toBe(0);
    expect(server.signedAtMs()).toHaveLength(1);
    expect(Math.abs((server.signedAtMs()[0] ?? 0) - Date.now())).toBeLessThan(TOLERANCE_MS);
    expect(
      Math.abs(
        Date.parse(decodeAgentAssertionHeader((await thread.authorizationHeader()) ?? '').timestamp) - Date.now(),
      ),
    ).toBeLessThan(TOLERANCE_MS);
  });

  it.each([
    { name: '10 minutes behind', localSkewMs: -TEN_MINUTES_MS, refusal: 'expired' },
    { name: '10 minutes ahead', localSkewMs: TEN_MINUTES_MS, refusal: 'from_future' },
  ])(
    '$name: the resumed thread’s dial refused ($refusal) by a guard on real time is not redialed: its Date corrects nothing',
    async ({ localSkewMs, refusal }) => {
      const harness = await startAgentHarness();
      const guard = await startBackendGuard(harness.backend);
      const original = await harness.thread();
      const { runtime, thread } = await resumed(harness, original, { now: () => Date.now() + localSkewMs });
      const pool = harness.pool(thread, { url: guard.url });

      const error = await failureOf(pool.checkout(await harness.turnAuth(thread)));

      expect(TransportWsError.isInstance(error) && error).toMatchObject({
        code: 'HANDSHAKE_REJECTED',
        status: 401,
        reason: refusal,
      });
      expect(guard.handshakes).toHaveLength(1);
      expect(runtime.clockOffsetMs).toBe(0);
    },
  );

  it('refused after the identity backend corrected the clock meanwhile: redialed once on the corrected clock, then HANDSHAKE_REJECTED', async () => {
    const harness = await startAgentHarness();
    const original = await harness.thread();
    const { runtime, thread } = await resumed(harness, original, { now: () => Date.now() - TEN_MINUTES_MS });
    expect(runtime.clockOffsetMs).toBe(0);
    await using server = await startRefusingServer(Date.now, async () => {
      // another thread of the runtime registers a task: the backend's Date corrects the clock
      const other = await runtime.startThread({ ephemeral: true });
      await other.beginTurn();
    });
    const pool = harness.pool(thread, { url: server.url });

    const error = await failureOf(pool.checkout(await harness.turnAuth(thread)));

    expect(TransportWsError.isInstance(error) && error).toMatchObject({
      code: 'HANDSHAKE_REJECTED',
      status: 401,
      reason: 'expired',
    });
    const [refused, redialed] = server.signedAtMs();
    expect(server.signedAtMs()).toHaveLength(2);
    expect(Math.abs((refused ?? 0) - (Date.now() - TEN_MINUTES_MS))).toBeLessThan(TOLERANCE_MS);
    expect(Math.abs((redialed ?? 0) - Date.now())).toBeLessThan(TOLERANCE_MS);
    expect(thread.task).toEqual(original.task);
    expect(harness.logger.lines).toContainEqual({
      level: 'info',
      message:
        'agent identity: the downstream service refused the assertion timestamp; retrying once on the corrected clock',
      fields: { threadId: thread.id, refusal: 'expired', taskId: original.task?.taskId },
    });
  });

  it('a refusal without a Date is not redialed', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const pool = harness.pool(thread);
    const expired = { error: { code: 'expired', message: 'the assertion is 400 s old' } };
    harness.backend.admin.injectFault('responses_ws', { kind: 'status', status: 401, body: expired }, { times: 2 });

    const error = await failureOf(pool.checkout(await harness.turnAuth(thread)));

    expect(TransportWsError.isInstance(error) && error).toMatchObject({
      code: 'HANDSHAKE_REJECTED',
      status: 401,
      reason: 'expired',
    });
    expect(harness.backend.admin.counters().faultsApplied.responses_ws).toBe(1);
  });
});
