import { AgentSigningKey, buildAgentAssertion } from '@agent-identity/crypto';
import { encodeAgentAssertionHeader, formatSecondsTimestamp } from '@agent-identity/protocol';
import { createAgentVerifier, type AssertionRejectionReason } from '@agent-identity/verifier';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PURE_PROPERTY_RUNS } from './support/loop-counts.js';

// The verifier's own tests name each malformed shape; these properties throw everything else at it.
const nowMs = Date.parse('2026-03-23T12:00:00Z');
const key = AgentSigningKey.fromSeed(new Uint8Array(32).fill(9));
const agentRuntimeId = 'agent-props';
const verifier = createAgentVerifier({
  keys: { publicKey: (id) => (id === agentRuntimeId ? key.sshPublicKey : undefined) },
  tasks: {
    taskStatus: (_agent, taskId) =>
      taskId === 'task-revoked' ? 'revoked' : taskId.startsWith('task-') ? 'active' : 'unknown',
  },
  now: () => nowMs,
});

const reasons: readonly AssertionRejectionReason[] = [
  'malformed',
  'unknown_agent',
  'unknown_task',
  'task_invalid',
  'bad_signature',
  'expired',
  'from_future',
];

const nearTimestamps = fc
  .integer({ min: -400, max: 400 })
  .map((offset) => formatSecondsTimestamp(nowMs + offset * 1000));
const runtimeIds = fc.oneof(fc.constant(agentRuntimeId), fc.string());
const taskIds = fc.oneof(fc.constantFrom('task-1', 'task-revoked'), fc.string());
const tokenOf = (json: string) => `AgentAssertion ${Buffer.from(json).toString('base64url')}`;

/** Headers from pure noise to correctly signed ones with one field changed. */
const headers = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string().map((text) => `AgentAssertion ${text}`),
  fc.jsonValue().map((value) => tokenOf(JSON.stringify(value))),
  fc
    .record({
      agent_runtime_id: runtimeIds,
      signature: fc.oneof(
        fc.string(),
        fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64')),
      ),
      task_id: taskIds,
      timestamp: fc.oneof(fc.string(), nearTimestamps),
    })
    .map((envelope) => encodeAgentAssertionHeader(envelope)),
  fc
    .record({ agentRuntimeId: runtimeIds, taskId: taskIds, timestamp: nearTimestamps })
    .map((claims) => buildAgentAssertion(key, claims)),
);

describe('AgentVerifier under arbitrary input', () => {
  it('answers every header with the verified identity or a typed rejection whose message quotes nothing sent', async () => {
    await fc.assert(
      fc.asyncProperty(headers, async (header) => {
        const result = await verifier.verifyAssertion(header);
        if (result.ok) {
          expect(result.identity.agentRuntimeId).toBe(agentRuntimeId);
          return;
        }
        expect(reasons).toContain(result.reason);
        const token = header.startsWith('AgentAssertion ') ? header.slice('AgentAssertion '.length) : header;
        if (token.length >= 16) expect(result.message).not.toContain(token);
      }),
      { numRuns: PURE_PROPERTY_RUNS },
    );
  });

  it('answers every task registration with the verified identity or a typed rejection', async () => {
    const claims = fc.record({
      agentRuntimeId: fc.oneof(runtimeIds, fc.anything() as fc.Arbitrary<string>),
      timestamp: fc.oneof(nearTimestamps, fc.string(), fc.anything() as fc.Arbitrary<string>),
      signature: fc.oneof(
        fc.string(),
        fc.anything() as fc.Arbitrary<string>,
        fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64')),
      ),
    });
    await fc.assert(
      fc.asyncProperty(claims, async (claim) => {
        const result = await verifier.verifyTaskRegistration(claim);
        if (!result.ok) expect(reasons).toContain(result.reason);
      }),
      { numRuns: PURE_PROPERTY_RUNS },
    );
  });
});
