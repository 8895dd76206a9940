import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveX25519SecretKey, openSealedBox, sealBox, x25519PublicKeyFromSecret } from '../src/index.js';
import { expectCryptoError } from './expect-crypto-error.js';
import { fromBase64, golden, goldenX25519Public, goldenX25519Secret } from './golden-vectors.js';

const otherSecret = deriveX25519SecretKey(new Uint8Array(32).fill(9));
const otherPublic = x25519PublicKeyFromSecret(otherSecret);
const goldenBox = fromBase64(golden.sealed_task_ids[0]!.ciphertext_base64);

function open(box: Uint8Array): Uint8Array {
  return openSealedBox(box, goldenX25519Secret, goldenX25519Public);
}

describe('openSealedBox', () => {
  it('opens both golden sealed boxes (libsodium crypto_box_seal) to their plaintexts', () => {
    for (const { ciphertext_base64, plaintext } of golden.sealed_task_ids) {
      expect(Buffer.from(open(fromBase64(ciphertext_base64))).toString('utf8')).toBe(plaintext);
    }
  });

  it('fails to open with another key pair: SEALED_BOX_OPEN_FAILED', () => {
    expectCryptoError(() => openSealedBox(goldenBox, otherSecret, otherPublic), 'SEALED_BOX_OPEN_FAILED');
  });

  it('fails with the right secret but another public key (it is part of the nonce)', () => {
    expectCryptoError(() => openSealedBox(goldenBox, goldenX25519Secret, otherPublic), 'SEALED_BOX_OPEN_FAILED');
  });

  it('fails when any single byte is flipped', () => {
    for (let offset = 0; offset < goldenBox.length; offset += 1) {
      const changed = Uint8Array.from(goldenBox);
      changed[offset] = (changed[offset] ?? 0) ^ 0x01;
      expectCryptoError(() => open(changed), 'SEALED_BOX_OPEN_FAILED');
    }
  });

  it('rejects every length below 48 bytes as SEALED_BOX_INVALID', () => {
    for (let length = 0; length < 48; length += 1) {
      expectCryptoError(() => open(goldenBox.subarray(0, length)), 'SEALED_BOX_INVALID');
    }
  });

  it('fails when truncated to 48 bytes or more but not whole', () => {
    expectCryptoError(() => open(goldenBox.subarray(0, goldenBox.length - 1)), 'SEALED_BOX_OPEN_FAILED');
    expectCryptoError(() => open(goldenBox.subarray(0, 48)), 'SEALED_BOX_OPEN_FAILED');
  });

  it('fails on a low-order (all-zero) ephemeral key rather than deriving a zero key', () => {
    const changed = Uint8Array.from(goldenBox);
    changed.fill(0, 0, 32);
    const error = expectCryptoError(() => open(changed), 'SEALED_BOX_OPEN_FAILED');
    expect(error.message).toBe('sealed box has an unusable ephemeral key');
  });

  it('rejects recipient keys that are not 32 bytes as KEY_INVALID', () => {
    expectCryptoError(
      () => openSealedBox(goldenBox, goldenX25519Secret.subarray(1), goldenX25519Public),
      'KEY_INVALID',
    );
    expectCryptoError(() => openSealedBox(goldenBox, goldenX25519Secret, new Uint8Array(0)), 'KEY_INVALID');
  });
});

describe('sealBox', () => {
  it('round-trips arbitrary plaintexts, 48 bytes longer than the plaintext', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (plaintext) => {
        const sealed = sealBox(plaintext, goldenX25519Public);
        expect(sealed).toHaveLength(plaintext.length + 48);
        expect(open(sealed)).toEqual(plaintext);
      }),
      { numRuns: 200 },
    );
  });

  it('uses the injected random bytes as the ephemeral secret (deterministic output)', () => {
    const randomBytes = (n: number): Uint8Array => new Uint8Array(n).fill(0x42);
    const plaintext = new TextEncoder().encode('task_123');
    const first = sealBox(plaintext, goldenX25519Public, { randomBytes });
    const second = sealBox(plaintext, goldenX25519Public, { randomBytes });
    expect(first).toEqual(second);
    expect(first.subarray(0, 32)).toEqual(x25519PublicKeyFromSecret(new Uint8Array(32).fill(0x42)));
    expect(open(first)).toEqual(plaintext);
  });

  it('draws a fresh ephemeral key per box by default, and each box opens', () => {
    const plaintext = new TextEncoder().encode('task_123');
    const first = sealBox(plaintext, goldenX25519Public);
    const second = sealBox(plaintext, goldenX25519Public);
    expect(first.subarray(0, 32)).not.toEqual(second.subarray(0, 32));
    expect(open(first)).toEqual(plaintext);
    expect(open(second)).toEqual(plaintext);
  });

  it('rejects a small-order recipient public key as KEY_INVALID', () => {
    const error = expectCryptoError(() => sealBox(new Uint8Array(1), new Uint8Array(32)), 'KEY_INVALID');
    expect(error.message).toBe('X25519 public key is not usable (small order)');
  });

  it('rejects a random source that returns the wrong number of bytes', () => {
    expectCryptoError(
      () => sealBox(new Uint8Array(1), goldenX25519Public, { randomBytes: () => new Uint8Array(16) }),
      'KEY_INVALID',
    );
  });
});
