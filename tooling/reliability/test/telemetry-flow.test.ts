import { createAgentFetch } from '@agent-identity/api-bridge';
import { closeRuntimeBeds, RuntimeBed } from '@agent-identity/test-bed';
import { TelemetryCapture } from '@agent-identity/telemetry-capture';
import { afterEach, describe, expect, it } from 'vitest';

// Issue 13: the spans and metrics of real flows against the reference backend, read from the
// OpenTelemetry SDK's in-memory exporters; the client's and the backend's telemetry are captured
// apart (they are separate traces: nothing propagates a trace context between them).

afterEach(() => closeRuntimeBeds());

/**
 * A thread's background registration: the identity registered, then a task, whose registration
 * loads the identity just registered (a child span of its own).
 */
const PREWARM_OUTLINE = [
  'agent_identity.prewarm',
  '  agent_identity.identity.ensure',
  '  agent_identity.task.register',
  '    agent_identity.identity.ensure',
];

interface TracedBed {
  readonly bed: RuntimeBed;
  readonly client: TelemetryCapture;
  readonly backend: TelemetryCapture;
}

async function tracedBed(): Promise<TracedBed> {
  const client = new TelemetryCapture();
  const backend = new TelemetryCapture();
  const bed = await RuntimeBed.start({
    backend: { telemetry: backend.options },
    runtime: { telemetry: client.options },
  });
  return { bed, client, backend };
}

/** A model request through api-bridge's fetch: its status. */
async function modelCall(bed: RuntimeBed, fetch: ReturnType<typeof createAgentFetch>): Promise<number> {
  const response = await fetch(bed.backend.responsesUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'telemetry', input: 'hello', stream: true }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('telemetry of a real flow (OpenTelemetry SDK, in-memory exporters)', () => {
  it('a prewarmed turn: prewarm registers identity and task, the turn finds the task cached', async () => {
    const { bed, client } = await tracedBed();
    const thread = await bed.runtime().startThread();
    await thread.prewarmed;
    expect((await thread.beginTurn()).ok).toBe(true);

    expect(client.outline()).toEqual([...PREWARM_OUTLINE, 'agent_identity.turn.begin']);
    const [prewarm, turn] = client.trees();
    expect(prewarm?.attributes).toMatchObject({ 'agent_identity.prewarm.outcome': 'ready' });
    expect(prewarm?.children[0]?.attributes).toMatchObject({ 'agent_identity.identity.outcome': 'registered' });
    expect(prewarm?.children[1]?.children[0]?.attributes).toMatchObject({
      'agent_identity.identity.outcome': 'loaded',
    });
    expect(prewarm?.children[1]?.attributes).toMatchObject({
      'agent_identity.task.outcome': 'registered',
      'agent_identity.task.attempts': 1,
    });
    expect(turn?.attributes).toMatchObject({
      'agent_identity.thread.id': thread.id,
      'agent_identity.turn.first': true,
      'agent_identity.turn.task_source': 'cached',
    });

    expect(await client.metric('agent_identity.turn.first')).toEqual([
      expect.objectContaining({ attributes: { prewarm_hit: true }, value: 1 }),
    ]);
    expect(await client.metric('agent_identity.registrations')).toEqual([
      expect.objectContaining({ attributes: { kind: 'identity', outcome: 'registered' }, value: 1 }),
      expect.objectContaining({ attributes: { kind: 'task', outcome: 'registered' }, value: 1 }),
    ]);
    expect(await client.metric('agent_identity.turn.task_wait')).toEqual([
      expect.objectContaining({ attributes: { source: 'cached' }, count: 1 }),
    ]);
  });

  it('a cold turn: prewarm failed, so the first turn registers its task itself', async () => {
    const { bed, client } = await tracedBed();
    // one refusal that no retry heals: prewarm's task registration fails, the turn's succeeds
    bed.backend.admin.injectFault('task_register', { kind: 'status', status: 400 }, { times: 1 });
    const thread = await bed.runtime().startThread();
    await thread.prewarmed;
    expect(thread.task).toBeUndefined();
    expect((await thread.beginTurn()).ok).toBe(true);

    expect(client.outline()).toEqual([
      ...PREWARM_OUTLINE,
      'agent_identity.turn.begin',
      '  agent_identity.task.register',
      '    agent_identity.identity.ensure',
    ]);
    const [prewarm, turn] = client.trees();
    expect(prewarm?.attributes).toMatchObject({ 'agent_identity.prewarm.outcome': 'failed' });
    expect(prewarm?.children[1]?.failed).toBe(true);
    expect(turn?.attributes).toMatchObject({ 'agent_identity.turn.task_source': 'registered' });
    expect(turn?.children[0]?.attributes).toMatchObject({ 'agent_identity.task.outcome': 'registered' });

    expect(await client.metric('agent_identity.turn.first')).toEqual([
      expect.objectContaining({ attributes: { prewarm_hit: false }, value: 1 }),
    ]);
    const tasks = (await client.metric('agent_identity.registrations')).filter(
      (point) => point.attributes.kind === 'task',
    );
    expect(tasks).toEqual([
      expect.objectContaining({ attributes: { kind: 'task', outcome: 'TASK_REGISTRATION_REJECTED' }, value: 1 }),
      expect.objectContaining({ attributes: { kind: 'task', outcome: 'registered' }, value: 1 }),
    ]);
  });

  it('a revoked-task recovery: the refusal re-registers inside the recovery span, then the call succeeds', async () => {
    const { bed, client, backend } = await tracedBed();
    const thread = await bed.runtime().startThread();
    await thread.prewarmed;
    await bed.backend.admin.revokeTask(thread.task!.taskId);

    expect(await modelCall(bed, createAgentFetch(thread))).toBe(200);

    expect(client.outline()).toEqual([
      ...PREWARM_OUTLINE,
      'agent_identity.turn.begin',
      'agent_identity.downstream.recovery',
      '  agent_identity.turn.begin',
      '    agent_identity.task.register',
      '      agent_identity.identity.ensure',
    ]);
    const recovery = client.trees()[2];
    expect(recovery?.attributes).toMatchObject({
      'agent_identity.recovery.cause': 'task_invalid',
      'agent_identity.recovery.outcome': 'retry',
    });
    expect(await client.metric('agent_identity.downstream.recoveries')).toEqual([
      expect.objectContaining({ attributes: { cause: 'task_invalid', outcome: 'retry' }, value: 1 }),
    ]);
    // the backend verifies each task registration's signature (two) and each model call's assertion
    expect(await backend.metric('agent_identity.verifier.results')).toEqual([
      expect.objectContaining({ attributes: { kind: 'task_registration', result: 'accepted' }, value: 2 }),
      expect.objectContaining({ attributes: { kind: 'assertion', result: 'task_invalid' }, value: 1 }),
      expect.objectContaining({ attributes: { kind: 'assertion', result: 'accepted' }, value: 1 }),
    ]);
    const responses = backend
      .trees()
      .filter((span) => span.attributes['http.route'] === '/v1/responses')
      .map((span) => [span.attributes['http.response.status_code'], span.children.map((child) => child.name)]);
    expect(responses).toEqual([
      [401, ['agent_identity.verifier.verify']],
      [200, ['agent_identity.verifier.verify']],
    ]);
  });

  it('no span or metric attribute of a full flow, client or backend, is secret-shaped', async () => {
    const { bed, client, backend } = await tracedBed();
    const thread = await bed.runtime().startThread();
    await thread.prewarmed;
    await bed.backend.admin.revokeTask(thread.task!.taskId);
    expect(await modelCall(bed, createAgentFetch(thread))).toBe(200);
    expect(await modelCall(bed, createAgentFetch(thread))).toBe(200);

    // the walk sees the flow's telemetry: it would catch a leak were there one
    expect(client.spans().length).toBeGreaterThan(5);
    expect(backend.spans().length).toBeGreaterThan(5);
    expect(await client.secretShapedAttributes()).toEqual([]);
    expect(await backend.secretShapedAttributes()).toEqual([]);
  });
});
