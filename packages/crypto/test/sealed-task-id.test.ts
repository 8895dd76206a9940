import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentPublicKey, AgentSigningKey, CryptoError, openSealedTaskId, sealBox, sealTaskId } from '../src/index.js';
import { expectCryptoError } from './expect-crypto-error.js';
import { fromBase64, golden, goldenSeed } from './golden-vectors.js';

const key = AgentSigningKey.fromSeed(goldenSeed);
const publicKey = AgentPublicKey.fromSsh(key.sshPublicKey);
const otherKey = AgentSigningKey.fromSeed(new Uint8Array(32).fill(8));
const goldenSealed = golden.sealed_task_ids[0]!.ciphertext_base64;

describe('openSealedTaskId', () => {
  it('opens both golden sealed task ids, the non-ASCII one included', () => {
    expect(golden.sealed_task_ids.map(({ ciphertext_base64 }) => openSealedTaskId(key, ciphertext_base64))).toEqual(
      golden.sealed_task_ids.map(({ plaintext }) => plaintext),
    );
    expect(golden.sealed_task_ids[1]!.plaintext).toBe('task_0199a1b2-unicode-✓');
  });

  it('fails on text that is not strict base64: TASK_ID_NOT_BASE64 with the SPEC text', () => {
    for (const text of [
      '%%%',
      goldenSealed.slice(0, -1),
      `${goldenSealed} `,
      Buffer.from(fromBase64(goldenSealed)).toString('base64url'),
    ]) {
      const error = expectCryptoError(() => openSealedTaskId(key, text), 'TASK_ID_NOT_BASE64');
      expect(error.message).toBe('encrypted task id is not valid base64');
    }
  });

  it('fails with another key: TASK_ID_DECRYPT_FAILED with the SPEC text and the sealed-box cause', () => {
    const error = expectCryptoError(() => openSealedTaskId(otherKey, goldenSealed), 'TASK_ID_DECRYPT_FAILED');
    expect(error.message).toBe('failed to decrypt encrypted task id');
    expect((error.cause as CryptoError).code).toBe('SEALED_BOX_OPEN_FAILED');
  });

  it('fails on a box shorter than 48 bytes: TASK_ID_DECRYPT_FAILED caused by SEALED_BOX_INVALID', () => {
    const short = Buffer.from(fromBase64(goldenSealed).subarray(0, 47)).toString('base64');
    const error = expectCryptoError(() => openSealedTaskId(key, short), 'TASK_ID_DECRYPT_FAILED');
    expect((error.cause as CryptoError).code).toBe('SEALED_BOX_INVALID');
  });

  it('fails on a plaintext that is not UTF-8: TASK_ID_NOT_UTF8 with the SPEC text', () => {
    for (const bytes of [Uint8Array.of(0xff), Uint8Array.of(0x74, 0xc3), Uint8Array.of(0xed, 0xa0, 0x80)]) {
      const sealed = Buffer.from(sealBox(bytes, key.x25519PublicKey())).toString('base64');
      const error = expectCryptoError(() => openSealedTaskId(key, sealed), 'TASK_ID_NOT_UTF8');
      expect(error.message).toBe('decrypted task id is not valid UTF-8');
    }
  });

  it('throws only CryptoError on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.uint8Array({ maxLength: 96 }).map((b) => Buffer.from(b).toString('base64')),
        ),
        (text) => {
          try {
            openSealedTaskId(key, text);
          } catch (error) {
            expect(CryptoError.isInstance(error)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('sealTaskId', () => {
  it('seals what openSealedTaskId opens, for arbitrary task ids', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 64 }), (taskId) => {
        expect(openSealedTaskId(key, sealTaskId(taskId, publicKey))).toBe(taskId);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a leading byte-order mark as part of the id', () => {
    expect(openSealedTaskId(key, sealTaskId('\uFEFFtask', publicKey))).toBe('\uFEFFtask');
  });

  it('produces standard base64 of a 48-byte-longer box, deterministic for injected randomness', () => {
    const randomBytes = (n: number): Uint8Array => new Uint8Array(n).fill(3);
    const sealed = sealTaskId('task_123', publicKey, { randomBytes });
    expect(fromBase64(sealed)).toHaveLength(8 + 48);
    expect(sealTaskId('task_123', publicKey, { randomBytes })).toBe(sealed);
  });

  it('cannot be opened by another agent', () => {
    expectCryptoError(() => openSealedTaskId(otherKey, sealTaskId('task_123', publicKey)), 'TASK_ID_DECRYPT_FAILED');
  });
});
