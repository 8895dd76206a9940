import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError, parseSshPublicKey, sshPublicKey } from '../src/index.js';
import { expectCryptoError } from './expect-crypto-error.js';
import { fromBase64, golden, goldenPublicKey } from './golden-vectors.js';

const goldenBlob = fromBase64(golden.ssh_public_key.split(' ')[1]!);

function line(blob: Uint8Array): string {
  return `ssh-ed25519 ${Buffer.from(blob).toString('base64')}`;
}

describe('sshPublicKey', () => {
  it('writes the golden SSH form (51-byte blob, no comment)', () => {
    expect(sshPublicKey(goldenPublicKey)).toBe(golden.ssh_public_key);
    expect(goldenBlob).toHaveLength(51);
  });

  it('rejects a public key that is not 32 bytes', () => {
    expectCryptoError(() => sshPublicKey(new Uint8Array(31)), 'KEY_INVALID');
  });
});

describe('parseSshPublicKey', () => {
  it('reads the golden SSH form', () => {
    expect(parseSshPublicKey(golden.ssh_public_key)).toEqual(goldenPublicKey);
  });

  it('accepts one trailing comment, spaces included', () => {
    expect(parseSshPublicKey(`${golden.ssh_public_key} agent@host`)).toEqual(goldenPublicKey);
    expect(parseSshPublicKey(`${golden.ssh_public_key} my agent key`)).toEqual(goldenPublicKey);
  });

  it('round-trips arbitrary public keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        expect(parseSshPublicKey(sshPublicKey(key))).toEqual(key);
      }),
    );
  });

  it('rejects lines that are not exactly "ssh-ed25519 <base64>[ comment]"', () => {
    const base64 = golden.ssh_public_key.split(' ')[1]!;
    for (const text of [
      '',
      'ssh-ed25519',
      'ssh-ed25519 ',
      `ssh-rsa ${base64}`,
      `ssh-ed25519  ${base64}`,
      ` ${golden.ssh_public_key}`,
      `${golden.ssh_public_key}\n`,
      `${golden.ssh_public_key} `,
      `${golden.ssh_public_key} comment\nssh-ed25519 ${base64}`,
      `ssh-ed25519\t${base64}`,
      `SSH-ED25519 ${base64}`,
    ]) {
      expectCryptoError(() => parseSshPublicKey(text), 'SSH_KEY_INVALID');
    }
  });

  it('rejects a blob that is not strict base64', () => {
    const base64 = golden.ssh_public_key.split(' ')[1]!;
    for (const blob of [
      base64.slice(0, -1),
      `${base64}=`,
      `${base64.slice(0, 20)}=${base64.slice(21)}`,
      `${base64}AAAA`.slice(0, -1),
    ]) {
      expectCryptoError(() => parseSshPublicKey(`ssh-ed25519 ${blob}`), 'SSH_KEY_INVALID');
    }
  });

  it('rejects every truncation of the blob and a blob one byte too long', () => {
    for (let length = 0; length < goldenBlob.length; length += 1) {
      expectCryptoError(() => parseSshPublicKey(line(goldenBlob.subarray(0, length))), 'SSH_KEY_INVALID');
    }
    expectCryptoError(() => parseSshPublicKey(line(Uint8Array.of(...goldenBlob, 0))), 'SSH_KEY_INVALID');
  });

  it('rejects a changed byte anywhere in the blob header', () => {
    for (let offset = 0; offset < 19; offset += 1) {
      const changed = Uint8Array.from(goldenBlob);
      changed[offset] = (changed[offset] ?? 0) ^ 0x01;
      expectCryptoError(() => parseSshPublicKey(line(changed)), 'SSH_KEY_INVALID');
    }
  });

  it('throws only CryptoError on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `ssh-ed25519 ${s}`),
          fc.uint8Array({ maxLength: 80 }).map(line),
          fc.base64String().map((s) => `ssh-ed25519 ${s}`),
        ),
        (text) => {
          try {
            parseSshPublicKey(text);
          } catch (error) {
            expect(CryptoError.isInstance(error)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
