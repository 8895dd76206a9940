import { ManualClock } from '@agent-identity/core/testing';
import { TelemetryCapture } from '@agent-identity/telemetry-capture';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAgentHarnesses, startAgentHarness } from './support/agent-harness.js';

afterEach(closeAgentHarnesses);

describe('pool telemetry (OpenTelemetry SDK, in-memory exporters)', () => {
  it('a dial span per new socket, a rotation dial past the hand-out deadline, open sockets counted', async () => {
    const capture = new TelemetryCapture();
    const clock = new ManualClock();
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const pool = harness.pool(thread, {
      maxAgeMs: 60_000,
      rotationMarginMs: 10_000,
      now: clock.now,
      timers: clock.timers,
      telemetry: capture.options,
    });
    const turn = await harness.turnAuth(thread);
    const first = await pool.checkout(turn);
    first.release();
    expect(await capture.metric('agent_identity.ws.sockets_open')).toEqual([expect.objectContaining({ value: 1 })]);

    // past the deadline with the socket leased: the checkout retires it and dials anew
    const leased = await pool.checkout(turn);
    clock.advance(50_000);
    const second = await pool.checkout(turn);
    expect(second.socket).not.toBe(leased.socket);
    const closed = new Promise((resolve) => leased.socket.once('close', resolve));
    leased.release();
    second.release();
    await closed;

    expect(capture.spans().map((span) => [span.name, span.attributes])).toEqual([
      ['agent_identity.ws.dial', { 'agent_identity.ws.dial.cause': 'new_context', 'agent_identity.ws.handshakes': 1 }],
      ['agent_identity.ws.dial', { 'agent_identity.ws.dial.cause': 'rotation', 'agent_identity.ws.handshakes': 1 }],
    ]);
    expect(await capture.metric('agent_identity.ws.retirements')).toEqual([
      expect.objectContaining({ attributes: { reason: 'rotated' }, value: 1 }),
    ]);
    expect(await capture.metric('agent_identity.ws.sockets_open')).toEqual([expect.objectContaining({ value: 1 })]);
    await pool.close();
    expect(await capture.metric('agent_identity.ws.sockets_open')).toEqual([expect.objectContaining({ value: 0 })]);
  });

  it('a handshake refused for a revoked task: one dial span holding the recovery and two handshakes', async () => {
    const capture = new TelemetryCapture();
    const harness = await startAgentHarness({ telemetry: capture.options });
    const thread = await harness.thread();
    const pool = harness.pool(thread, { telemetry: capture.options });
    const turn = await harness.turnAuth(thread);
    await harness.backend.admin.revokeTask(turn.task!.taskId);
    (await pool.checkout(turn)).release();

    const dial = capture.trees().find((span) => span.name === 'agent_identity.ws.dial');
    expect(dial?.attributes).toMatchObject({ 'agent_identity.ws.handshakes': 2 });
    expect(dial?.children.map((child) => [child.name, child.attributes['agent_identity.recovery.cause']])).toEqual([
      ['agent_identity.downstream.recovery', 'task_invalid'],
    ]);
    expect(await capture.secretShapedAttributes()).toEqual([]);
  });
});
