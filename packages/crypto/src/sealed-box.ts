import type { KeyObject } from 'node:crypto';
import { blake2b } from '@noble/hashes/blake2.js';
import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { CryptoError } from './crypto-error.js';
import { keyLength, requireKeyBytes } from './key-bytes.js';
import { defaultRandomBytes, type RandomBytesOptions } from './random-bytes.js';
import {
  ephemeralX25519PrivateKeyObject,
  rawPublicKeyOf,
  x25519PrivateKeyObject,
  x25519PublicKeyObject,
} from './raw-key-objects.js';
import { x25519SharedSecret } from './x25519.js';

// libsodium crypto_box_seal (SPEC §3.5): ephemeral_pk(32) ‖ MAC(16) ‖ XSalsa20 ciphertext.
const macLength = 16;
/** 48: the bytes a sealed box adds to its plaintext. */
export const sealedBoxOverhead = keyLength + macLength;

const sigma = new Uint32Array(new TextEncoder().encode('expand 32-byte k').buffer);

/**
 * NaCl crypto_box_beforenm: HSalsa20 of the X25519 shared secret with a zero input.
 * hsalsa takes native-endian 32-bit words of little-endian bytes; fresh copies keep them aligned.
 */
function boxKey(sharedSecret: Uint8Array): Uint8Array {
  const sharedWords = new Uint32Array(Uint8Array.from(sharedSecret).buffer);
  sharedSecret.fill(0);
  const key = new Uint32Array(8);
  hsalsa(sigma, sharedWords, new Uint32Array(4), key);
  sharedWords.fill(0);
  return new Uint8Array(key.buffer);
}

/** BLAKE2b-192(ephemeral_pk ‖ recipient_pk). */
function boxNonce(ephemeralPublic: Uint8Array, recipientPublic: Uint8Array): Uint8Array {
  return blake2b.create({ dkLen: 24 }).update(ephemeralPublic).update(recipientPublic).digest();
}

/**
 * crypto_box_beforenm of one key pair. `unusable` names the refusal when X25519 gives all zeros
 * (the other side's public key has small order).
 */
function sharedBoxKey(privateKey: KeyObject, publicKey: KeyObject, unusable: (cause: unknown) => CryptoError) {
  let shared: Uint8Array;
  try {
    shared = x25519SharedSecret(privateKey, publicKey);
  } catch (error) {
    throw unusable(error);
  }
  return boxKey(shared);
}

/**
 * Seals `plaintext` to an X25519 public key, as libsodium's `crypto_box_seal`:
 * only the holder of the matching secret can open it, and the sender stays anonymous.
 */
export function sealBox(
  plaintext: Uint8Array,
  recipientX25519Public: Uint8Array,
  options: RandomBytesOptions = {},
): Uint8Array {
  requireKeyBytes(recipientX25519Public, 'an X25519 public key');
  return sealBoxWithKey(plaintext, x25519PublicKeyObject(recipientX25519Public), recipientX25519Public, options);
}

/**
 * {@link sealBox} with the recipient's public key already imported, for a sealer that seals to
 * the same recipient many times (a backend seals every task id of an agent to its key).
 * @internal
 */
export function sealBoxWithKey(
  plaintext: Uint8Array,
  recipientKey: KeyObject,
  recipientPublic: Uint8Array,
  options: RandomBytesOptions = {},
): Uint8Array {
  const ephemeralSecret = requireKeyBytes(
    (options.randomBytes ?? defaultRandomBytes)(keyLength),
    'the random ephemeral secret',
  );
  const ephemeralKey = ephemeralX25519PrivateKeyObject(ephemeralSecret);
  ephemeralSecret.fill(0);
  const ephemeralPublic = rawPublicKeyOf(ephemeralKey);
  const key = sharedBoxKey(
    ephemeralKey,
    recipientKey,
    (cause) => new CryptoError('KEY_INVALID', 'X25519 public key is not usable (small order)', { cause }),
  );
  const box = xsalsa20poly1305(key, boxNonce(ephemeralPublic, recipientPublic)).encrypt(plaintext);
  key.fill(0);
  const sealed = new Uint8Array(keyLength + box.length);
  sealed.set(ephemeralPublic, 0);
  sealed.set(box, keyLength);
  return sealed;
}

/**
 * Opens a libsodium sealed box with the recipient's X25519 key pair.
 * `SEALED_BOX_INVALID` when shorter than 48 bytes; `SEALED_BOX_OPEN_FAILED` when it does not
 * authenticate (another key, altered bytes) or its ephemeral key is unusable.
 */
export function openSealedBox(
  ciphertext: Uint8Array,
  recipientSecret: Uint8Array,
  recipientPublic: Uint8Array,
): Uint8Array {
  requireKeyBytes(recipientSecret, 'an X25519 secret key');
  requireKeyBytes(recipientPublic, 'an X25519 public key');
  return openSealedBoxWithKey(ciphertext, x25519PrivateKeyObject(recipientSecret), recipientPublic);
}

/**
 * {@link openSealedBox} with the recipient's secret already imported, for a holder that opens
 * many boxes (an agent's key opens every task id it is sent).
 * @internal
 */
export function openSealedBoxWithKey(
  ciphertext: Uint8Array,
  recipientKey: KeyObject,
  recipientPublic: Uint8Array,
): Uint8Array {
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length < sealedBoxOverhead) {
    throw new CryptoError('SEALED_BOX_INVALID', `sealed box must be at least ${sealedBoxOverhead} bytes`);
  }
  const ephemeralPublic = ciphertext.subarray(0, keyLength);
  const key = sharedBoxKey(
    recipientKey,
    x25519PublicKeyObject(ephemeralPublic),
    (cause) => new CryptoError('SEALED_BOX_OPEN_FAILED', 'sealed box has an unusable ephemeral key', { cause }),
  );
  try {
    return xsalsa20poly1305(key, boxNonce(ephemeralPublic, recipientPublic)).decrypt(ciphertext.subarray(keyLength));
  } catch (error) {
    throw new CryptoError('SEALED_BOX_OPEN_FAILED', 'sealed box did not authenticate', { cause: error });
  } finally {
    key.fill(0);
  }
}
