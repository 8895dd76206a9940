import { TelemetryCapture } from '@agent-identity/telemetry-capture';
import { describe, expect, it } from 'vitest';
import { golden } from './golden-vectors.js';
import { VerifierHarness } from './verifier-harness.js';

describe('verifier telemetry (OpenTelemetry SDK, in-memory exporters)', () => {
  it('one span per verification with its result, results counted by kind and reason', async () => {
    const capture = new TelemetryCapture();
    const harness = new VerifierHarness({ telemetry: capture.options });
    expect((await harness.verifier.verifyAssertion(golden.assertion.header)).ok).toBe(true);
    harness.tasks.set('agent-123/task-123', 'revoked');
    expect(await harness.verifier.verifyAssertion(golden.assertion.header)).toMatchObject({ reason: 'task_invalid' });
    expect(await harness.verifier.verifyAssertion('AgentAssertion nonsense')).toMatchObject({ reason: 'malformed' });

    expect(capture.spans().map((span) => [span.name, span.attributes])).toEqual([
      [
        'agent_identity.verifier.verify',
        { 'agent_identity.verifier.kind': 'assertion', 'agent_identity.verifier.result': 'accepted' },
      ],
      [
        'agent_identity.verifier.verify',
        { 'agent_identity.verifier.kind': 'assertion', 'agent_identity.verifier.result': 'task_invalid' },
      ],
      [
        'agent_identity.verifier.verify',
        { 'agent_identity.verifier.kind': 'assertion', 'agent_identity.verifier.result': 'malformed' },
      ],
    ]);
    expect(
      (await capture.metric('agent_identity.verifier.results')).map((point) => [point.attributes.result, point.value]),
    ).toEqual([
      ['accepted', 1],
      ['task_invalid', 1],
      ['malformed', 1],
    ]);
    // the header verified (a real assertion) appears nowhere
    expect(await capture.secretShapedAttributes()).toEqual([]);
  });
});
