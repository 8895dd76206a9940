import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { encodePkcs8V1 } from './pkcs8.js';

// node:crypto imports raw keys only through DER. These fixed prefixes turn 32 raw bytes into the
// one DER form of each kind (RFC 8410), so every import is a single, cheap parse.
const ed25519SpkiPrefix = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);
const x25519Pkcs8Prefix = Buffer.from('302e020100300506032b656e04220420', 'hex');
const x25519SpkiPrefix = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00);
// Both SPKI prefixes have this length, so the raw key is the tail of either export.
const spkiPrefixLength = ed25519SpkiPrefix.length;

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

/** The public `KeyObject` of a 32-byte Ed25519 public key. */
export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: withPrefix(ed25519SpkiPrefix, publicKey), format: 'der', type: 'spki' });
}

/** The private `KeyObject` of a 32-byte X25519 secret (X25519 clamps it when used). */
export function x25519PrivateKeyObject(secret: Uint8Array): KeyObject {
  return privateKeyFromDer(withPrefix(x25519Pkcs8Prefix, secret));
}

/** The public `KeyObject` of a 32-byte X25519 public key. */
export function x25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: withPrefix(x25519SpkiPrefix, publicKey), format: 'der', type: 'spki' });
}

/** The 32 raw bytes of the public half of an Ed25519 or X25519 private `KeyObject`. */
export function rawPublicKeyOf(privateKey: KeyObject): Uint8Array {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spkiPrefixLength));
}
