import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { requireKeyBytes } from './key-bytes.js';
import type { RandomBytes } from './random-bytes.js';
import { rawPublicKeyOf, x25519PrivateKeyObject } from './raw-key-objects.js';

/** A one-use X25519 key pair: the private `KeyObject` and the 32 raw bytes of its public key. */
export interface EphemeralX25519Key {
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
}

/**
 * The ephemeral key of a sealed box (step S1). Without injected randomness OpenSSL draws it
 * itself: the secret never exists in JavaScript memory, and no PKCS#8 is parsed (OpenSSL 3's
 * decoder makes that import about ten times the cost of the key generation). Injected randomness
 * (deterministic tests, golden vectors) is imported as the secret, clamped by X25519 when used.
 */
export function ephemeralX25519Key(randomBytes: RandomBytes | undefined): EphemeralX25519Key {
  if (randomBytes === undefined) {
    const pair = generateKeyPairSync('x25519');
    return { privateKey: pair.privateKey, publicKey: rawPublicKeyOf(pair.publicKey) };
  }
  const secret = requireKeyBytes(randomBytes(32), 'the random ephemeral secret');
  const privateKey = x25519PrivateKeyObject(secret);
  secret.fill(0);
  return { privateKey, publicKey: rawPublicKeyOf(privateKey) };
}
