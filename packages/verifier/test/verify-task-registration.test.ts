import { AgentSigningKey, signTaskRegistration } from '@agent-identity/crypto';
import { formatSecondsTimestamp } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { golden, goldenEpochMs } from './golden-vectors.js';
import { VerifierHarness } from './verifier-harness.js';

function registration(harness: VerifierHarness, offsetSeconds = 0, key = harness.agentKey) {
  const timestamp = formatSecondsTimestamp(goldenEpochMs + offsetSeconds * 1000);
  return { agentRuntimeId: 'agent-123', timestamp, signature: signTaskRegistration(key, 'agent-123', timestamp) };
}

describe('verifyTaskRegistration', () => {
  it('accepts the SPEC golden task-registration signature', async () => {
    const harness = new VerifierHarness();
    const result = await harness.verifier.verifyTaskRegistration({
      agentRuntimeId: golden.task_registration.agent_runtime_id,
      timestamp: golden.task_registration.timestamp,
      signature: golden.task_registration.signature,
    });
    expect(result).toEqual({
      ok: true,
      identity: { agentRuntimeId: 'agent-123', timestamp: '2026-03-23T12:00:00Z', epochMs: goldenEpochMs },
    });
  });

  it.each([
    ['a timestamp with milliseconds', { timestamp: '2026-03-23T12:00:00.000Z' }],
    ['a timestamp that is not a string', { timestamp: 1 as unknown as string }],
    ['a signature that is not base64', { signature: '***' }],
    ['a signature of 32 bytes', { signature: Buffer.alloc(32).toString('base64') }],
    ['a runtime id that is not a string', { agentRuntimeId: null as unknown as string }],
  ])('rejects %s as malformed', async (_name, change) => {
    const harness = new VerifierHarness();
    const result = await harness.verifier.verifyTaskRegistration({ ...registration(harness), ...change });
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it.each([
    [-299, undefined],
    [-300, undefined],
    [-301, 'expired'],
    [299, undefined],
    [300, undefined],
    [301, 'from_future'],
  ])('a timestamp %i s from now → %s', async (offsetSeconds, reason) => {
    const harness = new VerifierHarness();
    const result = await harness.verifier.verifyTaskRegistration(registration(harness, offsetSeconds));
    expect(result.ok ? undefined : result.reason).toBe(reason);
  });

  it('rejects an unregistered agent as unknown_agent', async () => {
    const harness = new VerifierHarness();
    harness.keys.clear();
    expect(await harness.verifier.verifyTaskRegistration(registration(harness))).toMatchObject({
      ok: false,
      reason: 'unknown_agent',
    });
  });

  it('rejects a signature by another key as bad_signature', async () => {
    const harness = new VerifierHarness();
    const result = await harness.verifier.verifyTaskRegistration(registration(harness, 0, AgentSigningKey.generate()));
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects an assertion signature replayed as a registration signature', async () => {
    const harness = new VerifierHarness();
    const result = await harness.verifier.verifyTaskRegistration({
      agentRuntimeId: 'agent-123',
      timestamp: golden.assertion.timestamp,
      signature: golden.assertion.signature,
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});

describe('verifyTaskRegistration: repeated claims (one signature per agent and second)', () => {
  it.each([
    ['with the result cache', 4_096],
    ['with the result cache off', 0],
  ])('%s: accepts a repeat, and refuses it once the agent has another key', async (_name, resultCacheSize) => {
    const harness = new VerifierHarness({ resultCacheSize });
    const claims = registration(harness);
    expect((await harness.verifier.verifyTaskRegistration(claims)).ok).toBe(true);
    expect((await harness.verifier.verifyTaskRegistration(claims)).ok).toBe(true);
    harness.keys.set('agent-123', AgentSigningKey.generate().sshPublicKey);
    expect(await harness.verifier.verifyTaskRegistration(claims)).toMatchObject({ reason: 'bad_signature' });
  });

  it('checks the window and the agent of a verified repeat on every call', async () => {
    const harness = new VerifierHarness();
    const claims = registration(harness);
    expect((await harness.verifier.verifyTaskRegistration(claims)).ok).toBe(true);
    harness.nowMs += 301_000;
    expect(await harness.verifier.verifyTaskRegistration(claims)).toMatchObject({ reason: 'expired' });
    harness.nowMs -= 301_000;
    harness.keys.delete('agent-123');
    expect(await harness.verifier.verifyTaskRegistration(claims)).toMatchObject({ reason: 'unknown_agent' });
  });

  it('does not let a verified signature vouch for another agent or second', async () => {
    const harness = new VerifierHarness();
    const claims = registration(harness);
    expect((await harness.verifier.verifyTaskRegistration(claims)).ok).toBe(true);
    harness.keys.set('agent-123\n', harness.agentKey.sshPublicKey);
    const moved = [
      { ...claims, agentRuntimeId: 'agent-123\n' },
      { ...claims, timestamp: formatSecondsTimestamp(goldenEpochMs + 1000) },
    ];
    for (const claimsElsewhere of moved) {
      expect(await harness.verifier.verifyTaskRegistration(claimsElsewhere)).toMatchObject({ reason: 'bad_signature' });
    }
  });
});

describe('publicKeyOf', () => {
  it('gives the registered key, imported once, and undefined for an unknown agent', async () => {
    const harness = new VerifierHarness();
    const key = await harness.verifier.publicKeyOf('agent-123');
    expect(key?.sshPublicKey).toBe(harness.agentKey.sshPublicKey);
    expect(await harness.verifier.publicKeyOf('agent-123')).toBe(key);
    expect(key?.x25519PublicKey()).toEqual(harness.agentKey.x25519PublicKey());
    expect(await harness.verifier.publicKeyOf('agent-unknown')).toBeUndefined();
  });
});
