import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AgentPublicKey, AgentSigningKey } from '../src/index.js';
import { expectCryptoError } from './expect-crypto-error.js';
import { fromBase64, golden, goldenPublicKey, goldenX25519Public } from './golden-vectors.js';

const publicKey = AgentPublicKey.fromSsh(golden.ssh_public_key);
const { message, signature } = golden.task_registration;
const signatureBytes = fromBase64(signature);
const identityPoint = Uint8Array.of(1, ...new Uint8Array(31));

describe('AgentPublicKey', () => {
  it('reads the golden SSH form to the golden raw key, and writes it back', () => {
    expect(publicKey.raw).toEqual(goldenPublicKey);
    expect(AgentPublicKey.fromRaw(goldenPublicKey).sshPublicKey).toBe(golden.ssh_public_key);
  });

  it('accepts an SSH comment and drops it', () => {
    expect(AgentPublicKey.fromSsh(`${golden.ssh_public_key} agent@host`).sshPublicKey).toBe(golden.ssh_public_key);
  });

  it('verifies the golden signatures', () => {
    expect(publicKey.verify(message, signatureBytes)).toBe(true);
    expect(publicKey.verify(golden.assertion.message, fromBase64(golden.assertion.signature))).toBe(true);
  });

  it('verifies a message given as bytes like its UTF-8 string', () => {
    expect(publicKey.verify(new TextEncoder().encode(message), signatureBytes)).toBe(true);
  });

  it('returns false for another message', () => {
    expect(publicKey.verify(`${message} `, signatureBytes)).toBe(false);
  });

  it('returns false for another key', () => {
    const other = AgentPublicKey.fromRaw(AgentSigningKey.fromSeed(new Uint8Array(32).fill(8)).publicKey);
    expect(other.verify(message, signatureBytes)).toBe(false);
  });

  it('returns false when any bit of the signature is flipped', () => {
    for (let offset = 0; offset < signatureBytes.length; offset += 1) {
      for (const bit of [0x01, 0x80]) {
        const changed = Uint8Array.from(signatureBytes);
        changed[offset] = (changed[offset] ?? 0) ^ bit;
        expect(publicKey.verify(message, changed)).toBe(false);
      }
    }
  });

  it('returns false, not an error, for a signature of the wrong length', () => {
    expect(publicKey.verify(message, signatureBytes.subarray(0, 63))).toBe(false);
    expect(publicKey.verify(message, Uint8Array.of(...signatureBytes, 0))).toBe(false);
    expect(publicKey.verify(message, new Uint8Array(0))).toBe(false);
  });

  it('maps to the golden X25519 public key', () => {
    expect(publicKey.x25519PublicKey()).toEqual(goldenX25519Public);
  });

  it('hands out copies of its bytes', () => {
    publicKey.raw.fill(0);
    publicKey.x25519PublicKey().fill(0);
    expect(publicKey.raw).toEqual(goldenPublicKey);
    expect(publicKey.x25519PublicKey()).toEqual(goldenX25519Public);
  });

  it('rejects raw bytes that are not 32 bytes or not a usable point: KEY_INVALID', () => {
    expectCryptoError(() => AgentPublicKey.fromRaw(goldenPublicKey.subarray(0, 31)), 'KEY_INVALID');
    expectCryptoError(() => AgentPublicKey.fromRaw(identityPoint), 'KEY_INVALID');
  });

  it('rejects an SSH key whose blob holds a small-order point: SSH_KEY_INVALID, cause KEY_INVALID', () => {
    const blob = fromBase64(golden.ssh_public_key.split(' ')[1]!);
    blob.set(identityPoint, 19);
    const error = expectCryptoError(
      () => AgentPublicKey.fromSsh(`ssh-ed25519 ${Buffer.from(blob).toString('base64')}`),
      'SSH_KEY_INVALID',
    );
    expect((error.cause as { code?: string }).code).toBe('KEY_INVALID');
  });

  it('shows its SSH form in inspect, JSON and String', () => {
    expect(inspect(publicKey, { breakLength: Infinity })).toBe(
      `AgentPublicKey { sshPublicKey: '${golden.ssh_public_key}' }`,
    );
    expect(JSON.parse(JSON.stringify(publicKey))).toEqual({ sshPublicKey: golden.ssh_public_key });
    expect(String(publicKey)).toBe(`AgentPublicKey(${golden.ssh_public_key})`);
  });
});
