import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError, decodePkcs8, encodePkcs8V1, encodePkcs8V2 } from '../src/index.js';
import { expectCryptoError } from './expect-crypto-error.js';
import { fromBase64, golden, goldenPublicKey, goldenSeed } from './golden-vectors.js';

const v2 = fromBase64(golden.pkcs8_v2_base64);
const v1 = fromBase64(golden.pkcs8_v1_base64);

function expectKeyInvalid(run: () => unknown): void {
  expectCryptoError(run, 'KEY_INVALID');
}

describe('encodePkcs8V2', () => {
  it('writes the golden v2 DER byte for byte (83 bytes, public key embedded)', () => {
    const der = encodePkcs8V2(goldenSeed, goldenPublicKey);
    expect(der).toHaveLength(83);
    expect(Buffer.from(der).toString('base64')).toBe(golden.pkcs8_v2_base64);
  });

  it('rejects a seed or public key that is not 32 bytes', () => {
    expectKeyInvalid(() => encodePkcs8V2(goldenSeed.subarray(1), goldenPublicKey));
    expectKeyInvalid(() => encodePkcs8V2(goldenSeed, new Uint8Array(33)));
  });
});

describe('encodePkcs8V1', () => {
  it('writes the golden v1 DER byte for byte (48 bytes)', () => {
    const der = encodePkcs8V1(goldenSeed);
    expect(der).toHaveLength(48);
    expect(Buffer.from(der).toString('base64')).toBe(golden.pkcs8_v1_base64);
  });
});

describe('decodePkcs8', () => {
  it('reads the golden v2 form: seed and embedded public key', () => {
    expect(decodePkcs8(v2)).toEqual({ seed: goldenSeed, embeddedPublicKey: goldenPublicKey });
  });

  it('reads the golden v1 form: the same seed, no public key', () => {
    expect(decodePkcs8(v1)).toEqual({ seed: goldenSeed });
  });

  it('round-trips what it encodes', () => {
    const seed = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const publicKey = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    expect(decodePkcs8(encodePkcs8V2(seed, publicKey))).toEqual({ seed, embeddedPublicKey: publicKey });
    expect(decodePkcs8(encodePkcs8V1(seed))).toEqual({ seed });
  });

  it('returns copies, so the caller may zero the DER', () => {
    const der = Uint8Array.from(v2);
    const decoded = decodePkcs8(der);
    der.fill(0);
    expect(decoded.seed).toEqual(goldenSeed);
  });

  it('rejects every shorter prefix of both forms with KEY_INVALID', () => {
    for (const form of [v1, v2]) {
      for (let length = 0; length < form.length; length += 1) {
        expectKeyInvalid(() => decodePkcs8(form.subarray(0, length)));
      }
    }
  });

  it('rejects a trailing byte', () => {
    expectKeyInvalid(() => decodePkcs8(Uint8Array.of(...v1, 0)));
    expectKeyInvalid(() => decodePkcs8(Uint8Array.of(...v2, 0)));
  });

  it('rejects a changed byte anywhere in the fixed layout', () => {
    const fixedOffsets = [...Array.from({ length: 16 }, (_, i) => i), 48, 49, 50];
    for (const offset of fixedOffsets) {
      const changed = Uint8Array.from(v2);
      changed[offset] = (changed[offset] ?? 0) ^ 0x01;
      expectKeyInvalid(() => decodePkcs8(changed));
    }
    for (let offset = 0; offset < 16; offset += 1) {
      const changed = Uint8Array.from(v1);
      changed[offset] = (changed[offset] ?? 0) ^ 0x01;
      expectKeyInvalid(() => decodePkcs8(changed));
    }
  });

  it('rejects an X25519 PKCS#8 key (another algorithm, same shape)', () => {
    const x25519 = Uint8Array.from(v1);
    x25519[13] = 0x6e;
    expectKeyInvalid(() => decodePkcs8(x25519));
  });

  it('rejects a value that is not bytes', () => {
    expectKeyInvalid(() => decodePkcs8(golden.pkcs8_v1_base64 as unknown as Uint8Array));
  });

  it('says nothing about the key material in its message', () => {
    expect(() => decodePkcs8(v2.subarray(0, 82))).toThrow(
      'private key is not an Ed25519 PKCS#8 document (expected the 48-byte v1 or 83-byte v2 form)',
    );
  });
});

describe('decodePkcs8 on arbitrary input', () => {
  it('throws only CryptoError KEY_INVALID, never a RangeError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 100 }),
          fc.uint8Array({ minLength: 48, maxLength: 48 }),
          fc.uint8Array({ minLength: 83, maxLength: 83 }),
          fc.uint8Array({ minLength: 32, maxLength: 32 }).map((seed) => Uint8Array.of(...v2.subarray(0, 16), ...seed)),
        ),
        (der) => {
          try {
            decodePkcs8(der);
          } catch (error) {
            expect(CryptoError.isInstance(error)).toBe(true);
            expect((error as CryptoError).code).toBe('KEY_INVALID');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
