import { generateKeyPairSync } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { TurnAuth } from '@agent-identity/core';
import { ManualClock } from '@agent-identity/core/testing';
import { ResponseTextAccumulator } from '@agent-identity/protocol';
import { WS_CLOSE_MAX_AGE } from '@agent-identity/reference-backend';
import { ALICE, BOB, loginOf } from '@agent-identity/test-bed';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSocketPoolOptions } from '../src/pool-options.js';
import { TransportWsError } from '../src/transport-ws-error.js';
import { streamResponse } from '../src/stream-response.js';
import { closeAgentHarnesses, startAgentHarness } from './support/agent-harness.js';
import { startBackendGuard } from './support/backend-guard.js';
import { closeGuardServers } from './support/guard-server.js';
import { closeOf } from './support/upgrade-attempt.js';

afterEach(async () => {
  await closeAgentHarnesses();
  await closeGuardServers();
});

/** A backend, a thread whose task is registered, a pool for it, and a turn's auth context. */
async function taskTurn(options: Partial<AgentSocketPoolOptions> = {}) {
  const harness = await startAgentHarness();
  const thread = await harness.thread();
  const pool = harness.pool(thread, options);
  const turn = await harness.turnAuth(thread);
  return { harness, thread, pool, turn };
}

describe('C1/C2: a bearer prewarm, then a task turn', () => {
  it('two handshakes: first Bearer with the account id, then an assertion that verifies, without chatgpt-account-id', async () => {
    const harness = await startAgentHarness();
    const guard = await startBackendGuard(harness.backend);
    const thread = await harness.threadWithoutTask();
    const pool = harness.pool(thread, { url: guard.url });

    const prewarm = await pool.checkout(TurnAuth.bearer(loginOf(ALICE)));
    prewarm.release();
    const turn = await harness.turnAuth(thread);
    const lease = await pool.checkout(turn);

    expect(guard.handshakes).toHaveLength(2);
    const [bearer, assertion] = guard.handshakes;
    expect(bearer?.authorization).toBe(`Bearer ${ALICE.accessToken}`);
    expect(bearer?.['chatgpt-account-id']).toBe(ALICE.accountId);
    expect(assertion?.authorization).toMatch(/^AgentAssertion [A-Za-z0-9_-]+$/);
    expect(assertion?.['chatgpt-account-id']).toBeUndefined();
    expect(await harness.backend.admin.verify(assertion?.authorization ?? '')).toMatchObject({
      ok: true,
      identity: { agentRuntimeId: thread.task?.agentRuntimeId, taskId: thread.task?.taskId },
    });
    expect(guard.accepted.map((connection) => connection.caller.scheme)).toEqual(['bearer', 'assertion']);
    expect(lease.socket).not.toBe(prewarm.socket);
    lease.release();
  });

  it('the bearer socket is never handed to a task turn, nor the task socket to a bearer turn', async () => {
    const harness = await startAgentHarness();
    const guard = await startBackendGuard(harness.backend);
    const thread = await harness.thread();
    const pool = harness.pool(thread, { url: guard.url });
    const turn = await harness.turnAuth(thread);

    const task = await pool.checkout(turn);
    const bearer = await pool.checkout(TurnAuth.bearer(loginOf(ALICE)));
    const taskAgain = await pool.checkout(turn);

    expect(bearer.socket).not.toBe(task.socket);
    expect(taskAgain.socket).toBe(task.socket);
    expect(guard.authorizations().map((header) => header?.split(' ')[0])).toEqual(['AgentAssertion', 'Bearer']);
    // The thread has a task: a bearer socket serves the checkout that asked for it, and is not kept.
    const bearerClosed = closeOf(bearer.socket);
    bearer.release();
    expect(await bearerClosed).toEqual({ code: 1000, reason: 'auth context changed' });
    expect(pool.size).toBe(1);
  });

  it('the same context reuses its socket: one handshake for many turns', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const pool = harness.pool(thread);
    const sockets = [];
    for (let turn = 0; turn < 3; turn += 1) {
      using lease = await pool.checkout(await harness.turnAuth(thread));
      sockets.push(lease.socket);
      for await (const event of streamResponse(lease.socket, { model: 'test', input: `turn ${turn}` }))
        expect(event.type).toMatch(/^response\./);
    }
    expect(new Set(sockets).size).toBe(1);
    expect(harness.backend.admin.counters().downstream.ws.accepted).toBe(1);
    expect(pool.size).toBe(1);
  });

  it('extra headers go along; Authorization and ChatGPT-Account-ID among them are ignored', async () => {
    const harness = await startAgentHarness();
    const guard = await startBackendGuard(harness.backend);
    const thread = await harness.thread();
    const pool = harness.pool(thread, {
      url: guard.url,
      headers: {
        'OpenAI-Beta': 'responses_websockets=2026-02-06',
        Authorization: 'Bearer forged',
        'ChatGPT-Account-ID': 'account-forged',
      },
    });
    (await pool.checkout(await harness.turnAuth(thread))).release();
    expect(guard.handshakes[0]).toMatchObject({ 'openai-beta': 'responses_websockets=2026-02-06' });
    expect(guard.handshakes[0]?.authorization).toMatch(/^AgentAssertion /);
    expect(guard.handshakes[0]?.['chatgpt-account-id']).toBeUndefined();
  });
});

describe('C2: concurrent checkouts', () => {
  it('twenty concurrent checkouts on one context dial once and share the socket', async () => {
    const harness = await startAgentHarness();
    const guard = await startBackendGuard(harness.backend);
    const thread = await harness.thread();
    const pool = harness.pool(thread, { url: guard.url });
    const turn = await harness.turnAuth(thread);
    const leases = await Promise.all(Array.from({ length: 20 }, () => pool.checkout(turn)));
    expect(new Set(leases.map((lease) => lease.socket)).size).toBe(1);
    expect(guard.handshakes).toHaveLength(1);
  });

  it('a dial that fails fails every checkout that shares it, and the next checkout dials again', async () => {
    const { harness, pool, turn } = await taskTurn();
    harness.backend.admin.injectFault('responses_ws', { kind: 'status', status: 503 });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => pool.checkout(turn)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(5).fill('rejected'));
    expect(harness.backend.admin.counters().faultsApplied.responses_ws).toBe(1);
    (await pool.checkout(turn)).release();
    expect(harness.backend.admin.counters().downstream.ws.accepted).toBe(1);
  });
});

describe('checkout({ signal })', () => {
  it('a slow handshake: aborting rejects with AbortError at once; the dial goes on and the next checkout gets its socket', async () => {
    const { harness, pool, turn } = await taskTurn();
    harness.backend.admin.injectFault('responses_ws', { kind: 'delay', delayMs: 300 });
    const controller = new AbortController();
    const abandoned = pool.checkout(turn, { signal: controller.signal });
    while (harness.backend.admin.faults().length > 0) await nextTurn();
    controller.abort();
    await expect(abandoned).rejects.toMatchObject({ name: 'AbortError' });
    await expect(pool.checkout(turn, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });

    using lease = await pool.checkout(turn);
    expect(lease.socket.readyState).toBe(lease.socket.OPEN);
    expect(harness.backend.admin.counters().downstream.ws).toMatchObject({ accepted: 1 });
  });
});

describe('C2: a login change', () => {
  it('a checkout for another login retires the old login’s socket', async () => {
    const harness = await startAgentHarness({ useAgentIdentity: false });
    const guard = await startBackendGuard(harness.backend);
    const thread = await harness.thread();
    const pool = harness.pool(thread, { url: guard.url });
    const alice = await pool.checkout(TurnAuth.bearer(loginOf(ALICE)));
    alice.release();
    const aliceClosed = closeOf(alice.socket);
    const bob = await pool.checkout(TurnAuth.bearer(loginOf(BOB)));
    expect(await aliceClosed).toEqual({ code: 1000, reason: 'auth context changed' });
    expect(bob.socket.readyState).toBe(bob.socket.OPEN);
    expect(pool.size).toBe(1);
  });
});

describe('C4: sockets are dropped when the task changes', () => {
  it('invalidating the task closes the pooled socket', async () => {
    const { thread, pool, turn } = await taskTurn();
    const lease = await pool.checkout(turn);
    lease.release();
    const closed = closeOf(lease.socket);
    expect(await thread.invalidateTask(turn.task!)).toBe(true);
    expect(await closed).toEqual({ code: 1000, reason: 'auth context changed' });
    expect(pool.size).toBe(0);
  });

  it('a leased socket stays open through the change and closes at its release', async () => {
    const { thread, pool, turn } = await taskTurn();
    const lease = await pool.checkout(turn);
    await thread.invalidateTask(turn.task!);
    const events = [];
    for await (const event of streamResponse(lease.socket, { model: 'test', input: 'finishing' }))
      events.push(event.type);
    expect(events.at(-1)).toBe('response.completed');
    const closed = closeOf(lease.socket);
    lease.release();
    expect(await closed).toEqual({ code: 1000, reason: 'auth context changed' });
  });

  it('the bearer prewarm socket closes once the thread has a task', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.threadWithoutTask();
    const pool = harness.pool(thread);
    const prewarm = await pool.checkout(TurnAuth.bearer(loginOf(ALICE)));
    prewarm.release();
    expect(pool.size).toBe(1);
    const closed = closeOf(prewarm.socket);
    await harness.turnAuth(thread);
    expect(await closed).toEqual({ code: 1000, reason: 'auth context changed' });
  });
});

/** A fresh Ed25519 key, PKCS#8 v1 base64: what the backend never saw. */
function anotherKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

describe('C5: a revoked task', () => {
  it('the next dial recovers: one re-registration, one redial; the rollout gains one null and one task line', async () => {
    const { harness, thread, pool, turn } = await taskTurn();
    const revoked = turn.task!;
    expect(await harness.stateLines(thread.id)).toEqual([revoked]);
    const registrationsBefore = harness.backend.admin.counters().taskRegistrations;
    await harness.backend.admin.revokeTask(revoked.taskId);

    using lease = await pool.checkout(turn);

    const counters = harness.backend.admin.counters();
    expect(counters.taskRegistrations).toBe(registrationsBefore + 1);
    expect(counters.downstream.ws).toMatchObject({ accepted: 1, rejected: { task_invalid: 1 } });
    const renewed = thread.task!;
    expect(renewed.taskId).not.toBe(revoked.taskId);
    expect(lease.auth.task).toEqual(renewed);
    expect(await harness.stateLines(thread.id)).toEqual([revoked, null, renewed]);
    const answer = new ResponseTextAccumulator();
    for await (const event of streamResponse(lease.socket, { model: 'test', input: 'after recovery' }))
      answer.add(event);
    expect(answer.finish().text).toBe(`echo: after recovery (agent ${renewed.agentRuntimeId}, task ${renewed.taskId})`);
    expect(harness.seen()).not.toContain(ALICE.accessToken);
    expect(harness.seen()).not.toContain('AgentAssertion ');
  });

  it('concurrent checkouts of the revoked task recover once: one registration, one redial', async () => {
    const { harness, thread, pool, turn } = await taskTurn();
    const registrationsBefore = harness.backend.admin.counters().taskRegistrations;
    await harness.backend.admin.revokeTask(turn.task!.taskId);

    const leases = await Promise.all(Array.from({ length: 10 }, () => pool.checkout(turn)));

    expect(new Set(leases.map((lease) => lease.socket)).size).toBe(1);
    expect(harness.backend.admin.counters().taskRegistrations).toBe(registrationsBefore + 1);
    expect(harness.backend.admin.counters().downstream.ws).toMatchObject({
      accepted: 1,
      rejected: { task_invalid: 1 },
    });
    expect((await harness.stateLines(thread.id)).slice(1)).toEqual([null, thread.task]);
  });

  it('a second task_invalid on the redial is returned as it is: no loop', async () => {
    const { harness, pool, turn } = await taskTurn();
    const registrationsBefore = harness.backend.admin.counters().taskRegistrations;
    const refusal = { error: { code: 'task_invalid', message: 'task revoked' } };
    harness.backend.admin.injectFault('responses_ws', { kind: 'status', status: 401, body: refusal }, { times: 3 });

    const error = await pool.checkout(turn).catch((caught: unknown) => caught);

    expect(TransportWsError.isInstance(error) && error).toMatchObject({
      code: 'HANDSHAKE_REJECTED',
      status: 401,
      reason: 'task_invalid',
    });
    expect(harness.backend.admin.counters().faultsApplied.responses_ws).toBe(2);
    expect(harness.backend.admin.counters().taskRegistrations).toBe(registrationsBefore + 1);
  });

  it('a failed re-registration is TASK_REGISTRATION_FAILED with core’s turn error text', async () => {
    const { harness, thread, pool, turn } = await taskTurn();
    await harness.backend.admin.revokeTask(turn.task!.taskId);
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 400 });

    const error = await pool.checkout(turn).catch((caught: unknown) => caught);

    expect(TransportWsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'TASK_REGISTRATION_FAILED',
      message: expect.stringMatching(/^Agent task registration failed\. Please try again/) as unknown,
    });
    expect(harness.events).toMatchObject([{ code: 'TASK_REGISTRATION_FAILED' }]);
    expect(await harness.stateLines(thread.id)).toEqual([turn.task, null]);
  });

  it('a refusal a new task does not heal (bad_signature: a stored key the backend does not have) is HANDSHAKE_REJECTED, nothing registered', async () => {
    const { harness, thread, pool, turn } = await taskTurn();
    const before = harness.backend.admin.counters();
    const stored = await harness.identityStore.load();
    await harness.identityStore.save({ ...stored!, agent_private_key: anotherKey() });
    const signedWithAnotherKey = await harness.turnAuth(thread); // same runtime id and task, another key

    const error = await pool.checkout(signedWithAnotherKey).catch((caught: unknown) => caught);

    expect(TransportWsError.isInstance(error) && error).toMatchObject({
      code: 'HANDSHAKE_REJECTED',
      status: 401,
      reason: 'bad_signature',
      isRetryable: false,
    });
    const after = harness.backend.admin.counters();
    expect(after.downstream.ws).toMatchObject({ accepted: 0, rejected: { bad_signature: 1 } });
    expect(after.taskRegistrations).toBe(before.taskRegistrations);
    expect(after.agentRegistrations).toBe(before.agentRegistrations);
    expect(thread.task).toEqual(turn.task);
  });

  it('a bearer handshake refused as task_invalid is not a task to recover', async () => {
    const harness = await startAgentHarness({ useAgentIdentity: false });
    const thread = await harness.thread();
    const pool = harness.pool(thread);
    harness.backend.admin.injectFault('responses_ws', {
      kind: 'status',
      status: 401,
      body: { error: { code: 'task_invalid', message: 'no' } },
    });
    const error = await pool.checkout(TurnAuth.bearer(loginOf(ALICE))).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'HANDSHAKE_REJECTED', reason: 'task_invalid' });
    expect(harness.backend.admin.counters().taskRegistrations).toBe(0);
  });
});

describe('C3: rotation before the maximum age', () => {
  it('with the backend closing sockets at its maximum age, every turn completes: the pool dials anew before the server closes the old socket', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const maxAgeMs = 1_500;
    harness.backend.admin.setWebSocketMaxAge(maxAgeMs);
    const pool = harness.pool(thread, { maxAgeMs, rotationMarginMs: 750 });
    const closes: { code: number; reason: string }[] = [];
    const sockets = new Set<unknown>();
    const turn = await harness.turnAuth(thread);
    const until = Date.now() + 2 * maxAgeMs;
    let turns = 0;
    while (Date.now() < until || sockets.size < 3) {
      using lease = await pool.checkout(turn);
      if (!sockets.has(lease.socket)) {
        sockets.add(lease.socket);
        void closeOf(lease.socket).then((close) => closes.push(close));
      }
      const events = [];
      for await (const event of streamResponse(lease.socket, { model: 'test', input: `turn ${turns}` }))
        events.push(event);
      expect(events.at(-1)?.type).toBe('response.completed');
      turns += 1;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await pool.close();
    expect(sockets.size).toBeGreaterThanOrEqual(3);
    expect(closes.map((close) => close.code)).not.toContain(WS_CLOSE_MAX_AGE);
    expect(closes.filter((close) => close.reason === 'rotated').length).toBeGreaterThanOrEqual(sockets.size - 1);
  });

  it('never hands out a socket past maxAgeMs − rotationMarginMs (fake clock)', async () => {
    const clock = new ManualClock();
    const { harness, pool, turn } = await taskTurn({
      maxAgeMs: 60_000,
      rotationMarginMs: 10_000,
      now: clock.now,
      timers: clock.timers,
    });
    const first = await pool.checkout(turn);
    first.release();
    clock.advance(49_999);
    const stillFirst = await pool.checkout(turn);
    expect(stillFirst.socket).toBe(first.socket);
    stillFirst.release();
    const closed = closeOf(first.socket);
    clock.advance(1);
    expect(await closed).toEqual({ code: 1000, reason: 'rotated' });
    const second = await pool.checkout(turn);
    expect(second.socket).not.toBe(first.socket);
    expect(harness.backend.admin.counters().downstream.ws.accepted).toBe(2);
  });

  it('a socket leased at its deadline keeps serving that turn and closes at release; the next checkout dials', async () => {
    const clock = new ManualClock();
    const { pool, turn } = await taskTurn({ maxAgeMs: 60_000, now: clock.now, timers: clock.timers });
    const lease = await pool.checkout(turn);
    clock.advance(54_000);
    expect(lease.socket.readyState).toBe(lease.socket.OPEN);
    const next = await pool.checkout(turn);
    expect(next.socket).not.toBe(lease.socket);
    const closed = closeOf(lease.socket);
    lease.release();
    expect(await closed).toEqual({ code: 1000, reason: 'rotated' });
  });

  it('a socket the server closed is not handed out again', async () => {
    const { harness, pool, turn } = await taskTurn();
    const first = await pool.checkout(turn);
    first.release();
    const closed = closeOf(first.socket);
    harness.backend.admin.setWebSocketMaxAge(0);
    await closed;
    harness.backend.admin.setWebSocketMaxAge(null);
    expect(pool.size).toBe(0);
    const second = await pool.checkout(turn);
    expect(second.socket).not.toBe(first.socket);
    expect(second.socket.readyState).toBe(second.socket.OPEN);
  });
});

describe('pool lifecycle and options', () => {
  it('close() closes every socket, leased ones too; later checkouts reject with POOL_CLOSED', async () => {
    const { pool, turn } = await taskTurn();
    const lease = await pool.checkout(turn);
    const closed = closeOf(lease.socket);
    await pool.close();
    expect(await closed).toEqual({ code: 1000, reason: 'pool closed' });
    await expect(pool.checkout(turn)).rejects.toMatchObject({ code: 'POOL_CLOSED' });
  });

  it('a dial in flight when the pool closes ends closed: its checkout rejects with POOL_CLOSED', async () => {
    const { harness, pool, turn } = await taskTurn();
    harness.backend.admin.injectFault('responses_ws', { kind: 'delay', delayMs: 100 });
    const checkout = pool.checkout(turn).catch((caught: unknown) => caught);
    await pool.close();
    expect(await checkout).toMatchObject({ code: 'POOL_CLOSED' });
  });

  it.each([
    ['a URL that is not ws:', { url: 'http://127.0.0.1/v1/responses' }],
    ['a URL that does not parse', { url: 'not a url' }],
    ['maxAgeMs 0', { maxAgeMs: 0 }],
    ['a margin as long as maxAgeMs', { maxAgeMs: 1_000, rotationMarginMs: 1_000 }],
    ['a negative margin', { rotationMarginMs: -1 }],
    ['handshakeTimeoutMs 0', { handshakeTimeoutMs: 0 }],
  ])('rejects %s with OPTIONS_INVALID', async (_name, options) => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    expect(() => harness.pool(thread, options)).toThrow(expect.objectContaining({ code: 'OPTIONS_INVALID' }) as Error);
  });

  it('maxAgeMs Infinity never rotates', async () => {
    const clock = new ManualClock();
    const { pool, turn } = await taskTurn({ maxAgeMs: Infinity, now: clock.now, timers: clock.timers });
    const first = await pool.checkout(turn);
    first.release();
    clock.advance(365 * 24 * 3_600_000);
    expect((await pool.checkout(turn)).socket).toBe(first.socket);
    expect(clock.scheduledDelays).toEqual([]);
  });
});
