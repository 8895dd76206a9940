import { describe, expect, it } from 'vitest';
import { taskRegistrationMessage } from '@agent-identity/protocol';
import { AgentPublicKey, AgentSigningKey, signTaskRegistration, verifyTaskRegistration } from '../src/index.js';
import { fromBase64, golden, goldenSeed } from './golden-vectors.js';

const key = AgentSigningKey.fromSeed(goldenSeed);
const publicKey = AgentPublicKey.fromRaw(key.publicKey);
const { agent_runtime_id: runtimeId, timestamp, signature } = golden.task_registration;

describe('task registration signature', () => {
  it('signs "{runtime}:{timestamp}"', () => {
    expect(taskRegistrationMessage(runtimeId, timestamp)).toBe(golden.task_registration.message);
  });

  it('reproduces the golden signature (standard base64)', () => {
    expect(signTaskRegistration(key, runtimeId, timestamp)).toBe(signature);
  });

  it('verifies the golden signature', () => {
    expect(verifyTaskRegistration(publicKey, runtimeId, timestamp, signature)).toBe(true);
  });

  it('round-trips for a generated key', () => {
    const generated = AgentSigningKey.generate();
    const signed = signTaskRegistration(generated, 'agent-9', '2030-01-01T00:00:00Z');
    expect(
      verifyTaskRegistration(AgentPublicKey.fromSsh(generated.sshPublicKey), 'agent-9', '2030-01-01T00:00:00Z', signed),
    ).toBe(true);
  });

  it('rejects another runtime, another timestamp, another key', () => {
    const other = AgentPublicKey.fromRaw(AgentSigningKey.fromSeed(new Uint8Array(32).fill(8)).publicKey);
    expect(verifyTaskRegistration(publicKey, 'agent-124', timestamp, signature)).toBe(false);
    expect(verifyTaskRegistration(publicKey, runtimeId, '2026-03-23T12:00:01Z', signature)).toBe(false);
    expect(verifyTaskRegistration(other, runtimeId, timestamp, signature)).toBe(false);
  });

  it('rejects a signature with any byte flipped', () => {
    const bytes = fromBase64(signature);
    for (let offset = 0; offset < bytes.length; offset += 1) {
      const changed = Uint8Array.from(bytes);
      changed[offset] = (changed[offset] ?? 0) ^ 0x01;
      expect(verifyTaskRegistration(publicKey, runtimeId, timestamp, Buffer.from(changed).toString('base64'))).toBe(
        false,
      );
    }
  });

  it('returns false, not an error, for malformed encodings and wrong lengths', () => {
    const bytes = fromBase64(signature);
    for (const malformed of [
      '',
      'not base64!',
      signature.slice(0, -2), // padding missing
      Buffer.from(bytes).toString('base64url'),
      `${signature}\n`,
      Buffer.from(bytes.subarray(0, 63)).toString('base64'),
      Buffer.from(Uint8Array.of(...bytes, 0)).toString('base64'),
    ]) {
      expect(verifyTaskRegistration(publicKey, runtimeId, timestamp, malformed)).toBe(false);
    }
  });
});
