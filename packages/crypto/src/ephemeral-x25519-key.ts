import { randomBytes as nodeRandomBytes, type KeyObject } from 'node:crypto';
import { requireKeyBytes } from './key-bytes.js';
import type { RandomBytes } from './random-bytes.js';
import { rawPublicKeyOf, x25519PrivateKeyObject } from './raw-key-objects.js';

/** A one-use X25519 key pair: the private `KeyObject` and the 32 raw bytes of its public key. */
export interface EphemeralX25519Key {
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
}

/**
 * The ephemeral key of a sealed box (step S1): 32 random bytes (injected, or `node:crypto`'s)
 * imported as the X25519 secret, clamped by X25519 when used. (Letting OpenSSL generate the pair
 * with `generateKeyPairSync` is several times cheaper, but a test run under load once hung with the
 * main thread blocked in a lock during a burst of such generations; until that is understood, the
 * import path every earlier release used stays.)
 */
export function ephemeralX25519Key(randomBytes: RandomBytes | undefined): EphemeralX25519Key {
  const secret = requireKeyBytes((randomBytes ?? nodeRandomBytes)(32), 'the random ephemeral secret');
  const privateKey = x25519PrivateKeyObject(secret);
  secret.fill(0);
  return { privateKey, publicKey: rawPublicKeyOf(privateKey) };
}
