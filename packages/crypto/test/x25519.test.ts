import { describe, expect, it } from 'vitest';
import {
  AgentPublicKey,
  deriveX25519SecretKey,
  ed25519PublicKeyToX25519,
  x25519PublicKeyFromSecret,
} from '../src/index.js';
import { expectCryptoError } from './expect-crypto-error.js';
import { goldenPublicKey, goldenSeed, goldenX25519Public, goldenX25519Secret } from './golden-vectors.js';

const p = 2n ** 255n - 19n;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function encodePoint(y: bigint, xIsOdd: boolean): Uint8Array {
  const bytes = Buffer.from(y.toString(16).padStart(64, '0'), 'hex').reverse();
  if (xIsOdd) bytes[31] = (bytes[31] ?? 0) | 0x80;
  return Uint8Array.from(bytes);
}

function decodeY(publicKey: Uint8Array): { y: bigint; xIsOdd: boolean } {
  const bytes = Buffer.from(publicKey).reverse();
  const xIsOdd = ((bytes[0] ?? 0) & 0x80) !== 0;
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return { y: BigInt(`0x${bytes.toString('hex')}`), xIsOdd };
}

describe('deriveX25519SecretKey', () => {
  it('derives the golden secret from the golden seed (SHA-512, clamped)', () => {
    expect(hex(deriveX25519SecretKey(goldenSeed))).toBe(hex(goldenX25519Secret));
  });

  it('clamps: low 3 bits clear, bit 255 clear, bit 254 set', () => {
    for (let fill = 0; fill < 256; fill += 17) {
      const secret = deriveX25519SecretKey(new Uint8Array(32).fill(fill));
      expect((secret[0] ?? 0) & 7).toBe(0);
      expect((secret[31] ?? 0) & 0xc0).toBe(0x40);
    }
  });

  it('rejects a seed that is not 32 bytes', () => {
    expectCryptoError(() => deriveX25519SecretKey(new Uint8Array(31)), 'KEY_INVALID');
  });
});

describe('x25519PublicKeyFromSecret', () => {
  it('gives the golden public key for the golden secret', () => {
    expect(hex(x25519PublicKeyFromSecret(goldenX25519Secret))).toBe(hex(goldenX25519Public));
  });

  it('rejects a secret that is not 32 bytes', () => {
    expectCryptoError(() => x25519PublicKeyFromSecret(new Uint8Array(64)), 'KEY_INVALID');
  });
});

describe('ed25519PublicKeyToX25519', () => {
  it('maps the golden Ed25519 public key to the golden X25519 public key', () => {
    expect(hex(ed25519PublicKeyToX25519(goldenPublicKey))).toBe(hex(goldenX25519Public));
  });

  it('agrees with the derivation from the seed for other keys', async () => {
    const { createPublicKey, generateKeyPairSync } = await import('node:crypto');
    for (let i = 0; i < 5; i += 1) {
      const { privateKey } = generateKeyPairSync('ed25519');
      const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
      const edPublic = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x ?? '', 'base64url');
      expect(hex(ed25519PublicKeyToX25519(edPublic))).toBe(hex(x25519PublicKeyFromSecret(deriveX25519SecretKey(seed))));
    }
  });

  it('rejects the identity point, where 1 − y = 0', () => {
    const error = expectCryptoError(() => ed25519PublicKeyToX25519(encodePoint(1n, false)), 'KEY_INVALID');
    expect(error.message).toBe('Ed25519 public key has small order');
  });

  it('rejects the other small-order points', () => {
    const smallOrder = [
      encodePoint(p - 1n, false), // order 2
      encodePoint(0n, false), // order 4
      Uint8Array.from(Buffer.from('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'hex')), // order 8
      Uint8Array.from(Buffer.from('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'hex')), // order 8
    ];
    for (const point of smallOrder) {
      expect(expectCryptoError(() => ed25519PublicKeyToX25519(point), 'KEY_INVALID').message).toBe(
        'Ed25519 public key has small order',
      );
    }
  });

  it('rejects a point outside the prime-order subgroup (golden key plus the order-2 point)', () => {
    const { y, xIsOdd } = decodeY(goldenPublicKey);
    // (x, y) + (0, −1) = (−x, −y): a valid curve point with a torsion component.
    const mixed = encodePoint(p - y, !xIsOdd);
    expect(expectCryptoError(() => ed25519PublicKeyToX25519(mixed), 'KEY_INVALID').message).toBe(
      'Ed25519 public key is not in the prime-order subgroup',
    );
  });

  it('AgentPublicKey.fromSshForRegistration refuses that key (SPEC §5: prime-order subgroup only); fromSsh still reads it', () => {
    const { y, xIsOdd } = decodeY(goldenPublicKey);
    const ssh = AgentPublicKey.fromRaw(encodePoint(p - y, !xIsOdd)).sshPublicKey;
    const error = expectCryptoError(() => AgentPublicKey.fromSshForRegistration(ssh), 'SSH_KEY_INVALID');
    expect(error.cause).toMatchObject({
      code: 'KEY_INVALID',
      message: 'Ed25519 public key is not in the prime-order subgroup',
    });
    expect(
      AgentPublicKey.fromSshForRegistration(AgentPublicKey.fromRaw(goldenPublicKey).sshPublicKey).x25519PublicKey(),
    ).toEqual(goldenX25519Public);
  });

  it('rejects a y with no x on the curve', () => {
    expect(expectCryptoError(() => ed25519PublicKeyToX25519(encodePoint(2n, false)), 'KEY_INVALID').message).toBe(
      'Ed25519 public key is not a point on the curve',
    );
  });

  it('rejects a non-canonical y (y ≥ p)', () => {
    expect(expectCryptoError(() => ed25519PublicKeyToX25519(encodePoint(p + 1n, false)), 'KEY_INVALID').message).toBe(
      'Ed25519 public key is not canonically encoded',
    );
  });

  it('rejects a key that is not 32 bytes', () => {
    expectCryptoError(() => ed25519PublicKeyToX25519(goldenPublicKey.subarray(0, 31)), 'KEY_INVALID');
  });
});
