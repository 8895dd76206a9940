import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { encodePkcs8V1 } from './pkcs8.js';

// node:crypto imports raw private keys only through DER (or JWK, which would pass the secret
// through an unwipeable string). This fixed prefix turns 32 raw bytes into the one PKCS#8 form of
// an X25519 secret (RFC 8410).
const x25519Pkcs8Prefix = Buffer.from('302e020100300506032b656e04220420', 'hex');

function withPrefix(prefix: Uint8Array, raw: Uint8Array): Buffer {
  const der = Buffer.allocUnsafe(prefix.length + raw.length);
  der.set(prefix, 0);
  der.set(raw, prefix.length);
  return der;
}

function privateKeyFromDer(der: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(der.buffer, der.byteOffset, der.length), format: 'der', type: 'pkcs8' });
  } finally {
    // The DER holds the secret; the KeyObject now has its own copy.
    der.fill(0);
  }
}

/** The private `KeyObject` of a 32-byte Ed25519 seed. */
export function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  return privateKeyFromDer(encodePkcs8V1(seed));
}

/**
 * Public keys are imported as JWK: node:crypto hands its `x` straight to OpenSSL as raw bytes,
 * where a DER (SPKI) import goes through OpenSSL 3's decoder, about ten times slower.
 */
function publicKeyFromRaw(crv: 'Ed25519' | 'X25519', publicKey: Uint8Array): KeyObject {
  const x = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv, x }, format: 'jwk' });
}

/** The public `KeyObject` of a 32-byte Ed25519 public key. */
export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  return publicKeyFromRaw('Ed25519', publicKey);
}

/** The private `KeyObject` of a 32-byte X25519 secret (X25519 clamps it when used). */
export function x25519PrivateKeyObject(secret: Uint8Array): KeyObject {
  return privateKeyFromDer(withPrefix(x25519Pkcs8Prefix, secret));
}

// How this runtime imports a raw X25519 secret fastest, probed once with a fixed non-secret key.
// Node 20's OpenSSL 3.0 decodes PKCS#8 in about 0.4 ms, ten times its X25519 work, while its JWK
// import reads only `d`. Newer runtimes (OpenSSL 3.5) decode PKCS#8 about as fast as JWK, but check
// the JWK's `x` against `d`: a caller that has no public key yet cannot use that path.
const jwkImportReadsOnlySecret = ((): boolean => {
  try {
    createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: 'A'.repeat(43), x: '' }, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * The private `KeyObject` of a single-use X25519 secret: the fast import of the runtime. Where
 * that is JWK, the secret passes through a base64url string the garbage collector frees but
 * nobody can wipe. That is acceptable only for an ephemeral sealing key: it opens just the one box
 * it seals, whose plaintext the sealer holds anyway. Long-lived secrets use
 * {@link x25519PrivateKeyObject} and are parsed once.
 */
export function ephemeralX25519PrivateKeyObject(secret: Uint8Array): KeyObject {
  if (!jwkImportReadsOnlySecret) return x25519PrivateKeyObject(secret);
  const d = Buffer.from(secret.buffer, secret.byteOffset, secret.length).toString('base64url');
  return createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d, x: '' }, format: 'jwk' });
}

/** The public `KeyObject` of a 32-byte X25519 public key. */
export function x25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  return publicKeyFromRaw('X25519', publicKey);
}

/**
 * The 32 raw bytes of an Ed25519 or X25519 public key, or of the public half of a private one.
 * Read from the JWK export, which copies the raw key out (the DER export runs OpenSSL's encoder).
 */
export function rawPublicKeyOf(key: KeyObject): Uint8Array {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const { x } = publicKey.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(x ?? '', 'base64url'));
}
