import { CryptoError } from './crypto-error.js';
import { keyLength, requireKeyBytes } from './key-bytes.js';

// SPEC §3.1. Both forms are fixed byte strings around the seed (and public key): DER has one
// encoding of each, so matching bytes is a complete parser for exactly what we accept.
const v1Header = Buffer.from('302e020100300506032b657004220420', 'hex');
// RFC 5958 OneAsymmetricKey: version 1 (v2), then `[1] IMPLICIT BIT STRING` with the public key.
const v2Header = Buffer.from('3051020101300506032b657004220420', 'hex');
const v2PublicKeyTag = Uint8Array.of(0x81, 0x21, 0x00);

/** 48: the RFC 8410 form without the public key. */
export const pkcs8V1Length = v1Header.length + keyLength;
/** 83: the RFC 5958 v2 form Rust Codex writes, with the public key embedded. */
export const pkcs8V2Length = v2Header.length + keyLength + v2PublicKeyTag.length + keyLength;

export interface DecodedPkcs8 {
  /** The 32-byte Ed25519 seed (a copy: zero it when done if that matters to you). */
  seed: Uint8Array;
  /** The public key of the v2 form, unchecked: `AgentSigningKey.fromPkcs8` compares it. */
  embeddedPublicKey?: Uint8Array;
}

/** The 83-byte PKCS#8 v2 DER of an Ed25519 key (SPEC §3.1). */
export function encodePkcs8V2(seed: Uint8Array, publicKey: Uint8Array): Uint8Array {
  requireKeyBytes(seed, 'an Ed25519 seed');
  requireKeyBytes(publicKey, 'an Ed25519 public key');
  const der = new Uint8Array(pkcs8V2Length);
  der.set(v2Header, 0);
  der.set(seed, v2Header.length);
  der.set(v2PublicKeyTag, v2Header.length + keyLength);
  der.set(publicKey, pkcs8V2Length - keyLength);
  return der;
}

/** The 48-byte PKCS#8 v1 DER of an Ed25519 seed (SPEC §3.1). */
export function encodePkcs8V1(seed: Uint8Array): Uint8Array {
  requireKeyBytes(seed, 'an Ed25519 seed');
  const der = new Uint8Array(pkcs8V1Length);
  der.set(v1Header, 0);
  der.set(seed, v1Header.length);
  return der;
}

/**
 * The seed (and embedded public key) of an Ed25519 PKCS#8 DER in exactly the v1 or v2 form
 * (SPEC §3.1). Anything else is `KEY_INVALID`.
 */
export function decodePkcs8(der: Uint8Array): DecodedPkcs8 {
  if (der instanceof Uint8Array) {
    if (der.length === pkcs8V1Length && startsWith(der, v1Header, 0)) {
      return { seed: der.slice(v1Header.length, pkcs8V1Length) };
    }
    if (
      der.length === pkcs8V2Length &&
      startsWith(der, v2Header, 0) &&
      startsWith(der, v2PublicKeyTag, v2Header.length + keyLength)
    ) {
      return {
        seed: der.slice(v2Header.length, v2Header.length + keyLength),
        embeddedPublicKey: der.slice(pkcs8V2Length - keyLength),
      };
    }
  }
  throw new CryptoError(
    'KEY_INVALID',
    `private key is not an Ed25519 PKCS#8 document (expected the ${pkcs8V1Length}-byte v1 or ${pkcs8V2Length}-byte v2 form)`,
  );
}

function startsWith(bytes: Uint8Array, expected: Uint8Array, offset: number): boolean {
  for (let i = 0; i < expected.length; i += 1) {
    if (bytes[offset + i] !== expected[i]) return false;
  }
  return true;
}
