import { afterEach, describe, expect, it } from 'vitest';
import { CoreError } from '../src/runtime/errors.js';
import { MAX_TASK_REGISTRATIONS_PER_TURN } from '../src/thread/registration-budget.js';
import { closeHarnesses, FAST_RETRY, Harness } from './support/harness.js';

afterEach(closeHarnesses);

const UNAVAILABLE = { kind: 'status', status: 503, body: { error: { code: 'unavailable', message: 'down' } } } as const;
const UNKNOWN_AGENT = {
  kind: 'status',
  status: 404,
  body: { error: { code: 'unknown_agent', message: 'gone' } },
} as const;

describe('the registration budget of one turn (SPEC §4.4, beyond Codex: one number bounds every loop)', () => {
  it(`retries and an unknown-agent recovery that would go on send at most ${MAX_TASK_REGISTRATIONS_PER_TURN} task registrations, then the turn fails`, async () => {
    const harness = await Harness.start({ runtime: { retry: { ...FAST_RETRY, maxRetries: 99 } } });
    const { admin } = harness.backend;
    // two overloads, the agent forgotten (the identity is replaced, the task registered again),
    // then overloaded for good: each loop alone would keep sending
    admin.injectFault('task_register', UNAVAILABLE, { times: 2 });
    admin.injectFault('task_register', UNKNOWN_AGENT);
    admin.injectFault('task_register', UNAVAILABLE, { times: 100 });
    const runtime = harness.runtime();
    const thread = await runtime.startThread({ ephemeral: true });
    await thread.prewarmed;
    const prewarmSends = harness.recording.callsTo('/task/register').length;
    expect(prewarmSends).toBe(MAX_TASK_REGISTRATIONS_PER_TURN);

    const turn = await thread.beginTurn();

    expect(turn.ok).toBe(false);
    const cause = turn.ok ? undefined : turn.event.cause;
    expect(CoreError.isInstance(cause) && cause.code).toBe('TASK_REGISTRATION_BUDGET_SPENT');
    expect(harness.recording.callsTo('/task/register').length - prewarmSends).toBe(MAX_TASK_REGISTRATIONS_PER_TURN);
    expect(harness.recording.callsTo('/agent/register')).toHaveLength(2); // the identity, then its replacement
  });
});
