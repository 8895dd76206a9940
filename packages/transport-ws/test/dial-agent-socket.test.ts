import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@agent-identity/core/testing';
import { decodeAgentAssertionHeader } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { dialAgentSocket } from '../src/dial-agent-socket.js';
import { TransportWsError } from '../src/transport-ws-error.js';
import { closeAgentHarnesses, startAgentHarness } from './support/agent-harness.js';
import { startBackendGuard } from './support/backend-guard.js';
import { closeGuardServers } from './support/guard-server.js';

afterEach(async () => {
  await closeAgentHarnesses();
  await closeGuardServers();
});

function failureOf(dial: Promise<unknown>): Promise<unknown> {
  return dial.then(
    () => new Error('the handshake succeeded'),
    (error: unknown) => error,
  );
}

describe('dialAgentSocket', () => {
  it('builds the header at dial time: one TurnAuth dialed twice signs each handshake with its own second', async () => {
    const clock = new ManualClock();
    const harness = await startAgentHarness({ now: clock.now });
    const guard = await startBackendGuard(harness.backend);
    const thread = await harness.thread();
    const turn = await harness.turnAuth(thread);
    (await dialAgentSocket(guard.url, turn)).close();
    clock.advance(5_000);
    (await dialAgentSocket(guard.url, turn)).close();
    const timestamps = guard
      .authorizations()
      .map((header) => Date.parse(decodeAgentAssertionHeader(header ?? '').timestamp));
    expect(timestamps[1]! - timestamps[0]!).toBe(5_000);
    expect(guard.accepted).toHaveLength(2);
  });

  it.each([
    ['revoked task', 'task_invalid'],
    ['revoked agent', 'unknown_agent'],
  ])('a %s: HANDSHAKE_REJECTED with status 401 and the reason from the body', async (what, reason) => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const turn = await harness.turnAuth(thread);
    if (what === 'revoked task') await harness.backend.admin.revokeTask(turn.task!.taskId);
    else await harness.backend.admin.revokeAgent(turn.task!.agentRuntimeId);
    const error = await failureOf(dialAgentSocket(harness.backend.websocketUrl, turn));
    expect(TransportWsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'HANDSHAKE_REJECTED', status: 401, reason, isRetryable: false });
    expect((error as Error).message).toBe(
      `WebSocket handshake to ${harness.backend.websocketUrl} was refused with status 401 (${reason})`,
    );
  });

  it('no Authorization at all (nobody logged in): missing_authorization', async () => {
    const harness = await startAgentHarness();
    const error = await failureOf(dialAgentSocket(harness.backend.websocketUrl, { headers: () => ({}) }));
    expect(error).toMatchObject({ code: 'HANDSHAKE_REJECTED', status: 401, reason: 'missing_authorization' });
  });

  it('a 503 is retryable; a body that is not the JSON error shape gives no reason', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const turn = await harness.turnAuth(thread);
    harness.backend.admin.injectFault('responses_ws', {
      kind: 'status',
      status: 503,
      body: 'busy',
      retryAfterSeconds: 1,
    });
    const error = await failureOf(dialAgentSocket(harness.backend.websocketUrl, turn));
    expect(error).toMatchObject({ code: 'HANDSHAKE_REJECTED', status: 503, reason: undefined, isRetryable: true });
  });

  it('a connection reset before any answer: HANDSHAKE_FAILED, retryable', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const turn = await harness.turnAuth(thread);
    harness.backend.admin.injectFault('responses_ws', { kind: 'reset' });
    const error = await failureOf(dialAgentSocket(harness.backend.websocketUrl, turn));
    expect(error).toMatchObject({ code: 'HANDSHAKE_FAILED', isRetryable: true });
  });

  it('a server that never answers: HANDSHAKE_FAILED after handshakeTimeoutMs', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const turn = await harness.turnAuth(thread);
    harness.backend.admin.injectFault('responses_ws', { kind: 'hang' });
    const error = await failureOf(dialAgentSocket(harness.backend.websocketUrl, turn, { handshakeTimeoutMs: 100 }));
    expect(error).toMatchObject({ code: 'HANDSHAKE_FAILED', message: expect.stringContaining('timed out') as unknown });
  });

  it('nothing listening: HANDSHAKE_FAILED; the message names the URL without its query', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) =>
      probe.close(() => {
        resolve();
      }),
    );
    const error = await failureOf(
      dialAgentSocket(`ws://127.0.0.1:${port}/v1/responses?key=secret`, { headers: () => ({}) }),
    );
    expect(error).toMatchObject({ code: 'HANDSHAKE_FAILED', url: `ws://127.0.0.1:${port}/v1/responses` });
    expect((error as Error).message).not.toContain('secret');
  });
});
