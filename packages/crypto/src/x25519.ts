import { createHash, diffieHellman, type KeyObject } from 'node:crypto';
import { requireKeyBytes } from './key-bytes.js';
import { rawPublicKeyOf, x25519PrivateKeyObject } from './raw-key-objects.js';

/**
 * The X25519 secret of an Ed25519 seed (SPEC §3.5), as libsodium's
 * `crypto_sign_ed25519_sk_to_curve25519`: `h = SHA-512(seed)[0..32]`, then
 * `h[0] &= 248; h[31] &= 127; h[31] |= 64`.
 */
export function deriveX25519SecretKey(seed: Uint8Array): Uint8Array {
  requireKeyBytes(seed, 'an Ed25519 seed');
  const digest = createHash('sha512').update(seed).digest();
  const secret = new Uint8Array(digest.subarray(0, 32));
  digest.fill(0);
  secret[0] = (secret[0] ?? 0) & 248;
  secret[31] = ((secret[31] ?? 0) & 127) | 64;
  return secret;
}

/** The X25519 public key of a 32-byte secret (SPEC §3.5), computed by `node:crypto`. */
export function x25519PublicKeyFromSecret(secret: Uint8Array): Uint8Array {
  requireKeyBytes(secret, 'an X25519 secret key');
  return rawPublicKeyOf(x25519PrivateKeyObject(secret));
}

/**
 * X25519(privateKey, publicKey). Throws (a plain `node:crypto` error) when the result is all
 * zeros, i.e. the public key has small order — as libsodium's `crypto_scalarmult` refuses it.
 */
export function x25519SharedSecret(privateKey: KeyObject, publicKey: KeyObject): Uint8Array {
  return diffieHellman({ privateKey, publicKey });
}
