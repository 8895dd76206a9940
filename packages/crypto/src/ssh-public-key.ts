import { decodeBase64, encodeBase64 } from '@agent-identity/protocol';
import { CryptoError } from './crypto-error.js';
import { keyLength, requireKeyBytes } from './key-bytes.js';

// SPEC §3.1: blob = u32be(11) "ssh-ed25519" u32be(32) <public:32>, 51 bytes. Like the
// PKCS#8 forms it is a fixed header around the key, so the header bytes are the whole grammar.
const keyType = 'ssh-ed25519';
const blobHeader = Uint8Array.of(0, 0, 0, keyType.length, ...new TextEncoder().encode(keyType), 0, 0, 0, keyLength);
const blobLength = blobHeader.length + keyLength;
// `<type> <base64>` and at most one comment after a single space; no control characters.
const sshLine = /^ssh-ed25519 ([A-Za-z0-9+/]+={0,2})(?: \P{Cc}+)?$/u;

/** The OpenSSH one-line form of a 32-byte Ed25519 public key, without a comment. */
export function sshPublicKey(publicKey: Uint8Array): string {
  requireKeyBytes(publicKey, 'an Ed25519 public key');
  const blob = new Uint8Array(blobLength);
  blob.set(blobHeader, 0);
  blob.set(publicKey, blobHeader.length);
  return `${keyType} ${encodeBase64(blob)}`;
}

function invalidSshKey(reason: string): CryptoError {
  return new CryptoError('SSH_KEY_INVALID', `SSH public key ${reason}`);
}

/**
 * The 32-byte Ed25519 public key of `ssh-ed25519 <base64 blob>[ comment]`. Anything else —
 * another key type, extra whitespace, a blob of another layout or length, non-strict base64 — is
 * `SSH_KEY_INVALID`.
 */
export function parseSshPublicKey(text: string): Uint8Array {
  const base64 = typeof text === 'string' ? sshLine.exec(text)?.[1] : undefined;
  if (base64 === undefined) throw invalidSshKey(`is not of the form "${keyType} <base64>[ comment]"`);
  const blob = decodeBase64(base64);
  if (blob === undefined) throw invalidSshKey('blob is not valid base64');
  if (blob.length !== blobLength || blobHeader.some((byte, i) => blob[i] !== byte)) {
    throw invalidSshKey(`blob is not a ${blobLength}-byte ${keyType} key`);
  }
  return blob.slice(blobHeader.length);
}
