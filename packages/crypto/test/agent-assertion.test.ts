import { decodeAgentAssertionHeader, type AgentAssertionEnvelope } from '@agent-identity/protocol';
import { describe, expect, it, vi } from 'vitest';
import {
  AgentAssertionSigner,
  AgentPublicKey,
  AgentSigningKey,
  assertionRuntimeMismatch,
  buildAgentAssertion,
  CryptoError,
  verifyAgentAssertionSignature,
} from '../src/index.js';
import { fromBase64, golden, goldenSeed } from './golden-vectors.js';

const key = AgentSigningKey.fromSeed(goldenSeed);
const publicKey = AgentPublicKey.fromRaw(key.publicKey);
const claims = {
  agentRuntimeId: golden.assertion.agent_runtime_id,
  taskId: golden.assertion.task_id,
  timestamp: golden.assertion.timestamp,
};
const goldenEnvelope: AgentAssertionEnvelope = {
  agent_runtime_id: golden.assertion.agent_runtime_id,
  signature: golden.assertion.signature,
  task_id: golden.assertion.task_id,
  timestamp: golden.assertion.timestamp,
};
const goldenEpochMs = Date.parse(golden.assertion.timestamp);

describe('buildAgentAssertion', () => {
  it('reproduces the golden header byte for byte', () => {
    expect(buildAgentAssertion(key, claims)).toBe(golden.assertion.header);
  });

  it('carries the golden signature over "{runtime}:{task}:{timestamp}"', () => {
    expect(decodeAgentAssertionHeader(buildAgentAssertion(key, claims))).toEqual(goldenEnvelope);
  });

  it('escapes claims that need it in JSON and still verifies', () => {
    const odd = { agentRuntimeId: 'agent-"✓"', taskId: 'task\\\n1', timestamp: '2026-03-23T12:00:00Z' };
    const envelope = decodeAgentAssertionHeader(buildAgentAssertion(key, odd));
    expect(envelope.task_id).toBe('task\\\n1');
    expect(verifyAgentAssertionSignature(publicKey, envelope)).toBe(true);
  });
});

describe('verifyAgentAssertionSignature', () => {
  it('accepts the golden envelope', () => {
    expect(verifyAgentAssertionSignature(publicKey, goldenEnvelope)).toBe(true);
  });

  it('rejects another key', () => {
    const other = AgentPublicKey.fromRaw(AgentSigningKey.fromSeed(new Uint8Array(32).fill(8)).publicKey);
    expect(verifyAgentAssertionSignature(other, goldenEnvelope)).toBe(false);
  });

  it('rejects a change to any signed field', () => {
    for (const change of [
      { agent_runtime_id: 'agent-124' },
      { task_id: 'task-124' },
      { timestamp: '2026-03-23T12:00:01Z' },
    ]) {
      expect(verifyAgentAssertionSignature(publicKey, { ...goldenEnvelope, ...change })).toBe(false);
    }
  });

  it('rejects a signature with any byte flipped', () => {
    const bytes = fromBase64(golden.assertion.signature);
    for (let offset = 0; offset < bytes.length; offset += 1) {
      const changed = Uint8Array.from(bytes);
      changed[offset] = (changed[offset] ?? 0) ^ 0x01;
      const signature = Buffer.from(changed).toString('base64');
      expect(verifyAgentAssertionSignature(publicKey, { ...goldenEnvelope, signature })).toBe(false);
    }
  });

  it('returns false, not an error, for a signature that is not strict base64 of 64 bytes', () => {
    for (const signature of [
      '',
      '!!!!',
      golden.assertion.signature.slice(0, -2),
      Buffer.alloc(63).toString('base64'),
    ]) {
      expect(verifyAgentAssertionSignature(publicKey, { ...goldenEnvelope, signature })).toBe(false);
    }
  });
});

describe('AgentAssertionSigner', () => {
  const task = { agentRuntimeId: claims.agentRuntimeId, taskId: claims.taskId };

  it('produces the golden header anywhere inside the golden second', () => {
    const signer = new AgentAssertionSigner(key, task);
    expect(signer.header(goldenEpochMs)).toBe(golden.assertion.header);
    expect(signer.header(goldenEpochMs + 999)).toBe(golden.assertion.header);
    expect(new AgentAssertionSigner(key, task).header(goldenEpochMs + 999.9)).toBe(golden.assertion.header);
  });

  it('signs once per second, however often it is asked', () => {
    const signing = AgentSigningKey.fromSeed(goldenSeed);
    const sign = vi.spyOn(signing, 'sign');
    const signer = new AgentAssertionSigner(signing, task);
    for (let ms = 0; ms < 1000; ms += 10) signer.header(goldenEpochMs + ms);
    expect(sign).toHaveBeenCalledTimes(1);
    signer.header(goldenEpochMs + 1000);
    expect(sign).toHaveBeenCalledTimes(2);
  });

  it('re-signs for a new second, with that second as the timestamp', () => {
    const signer = new AgentAssertionSigner(key, task);
    signer.header(goldenEpochMs);
    const envelope = decodeAgentAssertionHeader(signer.header(goldenEpochMs + 1000));
    expect(envelope.timestamp).toBe('2026-03-23T12:00:01Z');
    expect(verifyAgentAssertionSignature(publicKey, envelope)).toBe(true);
  });

  it('re-signs when time goes backwards', () => {
    const signer = new AgentAssertionSigner(key, task);
    signer.header(goldenEpochMs + 1000);
    expect(signer.header(goldenEpochMs)).toBe(golden.assertion.header);
  });

  it('truncates times before 1970 toward the earlier second', () => {
    const signer = new AgentAssertionSigner(key, task);
    expect(decodeAgentAssertionHeader(signer.header(-1)).timestamp).toBe('1969-12-31T23:59:59Z');
  });

  it('says which task it speaks for', () => {
    const signer = new AgentAssertionSigner(key, task);
    expect({ agentRuntimeId: signer.agentRuntimeId, taskId: signer.taskId }).toEqual(task);
  });

  it('refuses a time that is not finite, every time it is asked', () => {
    const signer = new AgentAssertionSigner(key, task);
    expect(() => signer.header(Number.NaN)).toThrow(expect.objectContaining({ code: 'TIMESTAMP_OUT_OF_RANGE' }));
    expect(() => signer.header(Number.NaN)).toThrow(expect.objectContaining({ code: 'TIMESTAMP_OUT_OF_RANGE' }));
    expect(() => signer.header(Number.POSITIVE_INFINITY)).toThrow(
      expect.objectContaining({ code: 'TIMESTAMP_OUT_OF_RANGE' }),
    );
  });
});

describe('assertionRuntimeMismatch', () => {
  it('is an ASSERTION_RUNTIME_MISMATCH CryptoError with the SPEC text', () => {
    const error = assertionRuntimeMismatch('agent-456', 'agent-123');
    expect(CryptoError.isInstance(error)).toBe(true);
    expect(error.code).toBe('ASSERTION_RUNTIME_MISMATCH');
    expect(error.message).toBe('agent task runtime agent-456 does not match stored agent identity agent-123');
  });
});
