import { sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { decodeBase64, encodeBase64 } from '@agent-identity/protocol';
import { CryptoError } from './crypto-error.js';
import { keyLength, requireKeyBytes } from './key-bytes.js';
import { messageBytes, type SignedMessage } from './message-bytes.js';
import { decodePkcs8, encodePkcs8V2 } from './pkcs8.js';
import { defaultRandomBytes, type RandomBytesOptions } from './random-bytes.js';
import { ed25519PrivateKeyObject, rawPublicKeyOf, x25519PrivateKeyObject } from './raw-key-objects.js';
import { openSealedBoxWithKey } from './sealed-box.js';
import { sshPublicKey } from './ssh-public-key.js';
import { deriveX25519SecretKey } from './x25519.js';

/**
 * An agent's Ed25519 private key, parsed once (SPEC §2.5, §3.1): the `KeyObject` is built
 * in the factory and every `sign` reuses it. The seed stays in a private field; `toJSON`,
 * `toString` and `util.inspect` show only the SSH public key.
 */
export class AgentSigningKey {
  readonly #seed: Uint8Array;
  readonly #privateKey: KeyObject;
  readonly #publicKey: Uint8Array;
  #sshPublicKey: string | undefined;
  #x25519SecretKey: Uint8Array | undefined;
  #x25519PrivateKey: KeyObject | undefined;
  #x25519PublicKey: Uint8Array | undefined;

  private constructor(seed: Uint8Array) {
    this.#seed = seed;
    this.#privateKey = ed25519PrivateKeyObject(seed);
    this.#publicKey = rawPublicKeyOf(this.#privateKey);
  }

  /** A new key from 32 random bytes (default: `node:crypto`'s `randomBytes`). */
  static generate(options: RandomBytesOptions = {}): AgentSigningKey {
    const seed = requireKeyBytes((options.randomBytes ?? defaultRandomBytes)(keyLength), 'the random seed');
    return new AgentSigningKey(Uint8Array.from(seed));
  }

  /** The key of a 32-byte Ed25519 seed (copied: the caller may zero its own). */
  static fromSeed(seed: Uint8Array): AgentSigningKey {
    return new AgentSigningKey(Uint8Array.from(requireKeyBytes(seed, 'an Ed25519 seed')));
  }

  /**
   * The key of a PKCS#8 DER in the v1 or v2 form (SPEC §3.1). A v2 document's embedded
   * public key must be the one of its seed, else `KEY_INVALID`.
   */
  static fromPkcs8(der: Uint8Array): AgentSigningKey {
    const { seed, embeddedPublicKey } = decodePkcs8(der);
    const key = new AgentSigningKey(seed);
    if (embeddedPublicKey !== undefined && !timingSafeEqual(embeddedPublicKey, key.#publicKey)) {
      key.#seed.fill(0);
      throw new CryptoError('KEY_INVALID', 'private key embeds a public key that does not match its seed');
    }
    return key;
  }

  /** The key of the auth file's `agent_private_key`: strict standard base64 of PKCS#8 DER. */
  static fromPkcs8Base64(text: string): AgentSigningKey {
    const der = typeof text === 'string' ? decodeBase64(text) : undefined;
    if (der === undefined) throw new CryptoError('KEY_INVALID', 'private key is not valid base64');
    try {
      return AgentSigningKey.fromPkcs8(der);
    } finally {
      der.fill(0);
    }
  }

  /** The 64-byte Ed25519 signature of `message` (strings are signed as UTF-8). */
  sign(message: SignedMessage): Uint8Array {
    return sign(null, messageBytes(message), this.#privateKey);
  }

  /** The 32-byte Ed25519 public key (a copy). */
  get publicKey(): Uint8Array {
    return Uint8Array.from(this.#publicKey);
  }

  /** `ssh-ed25519 <base64>`: the form registered with the backend (SPEC §3.1). */
  get sshPublicKey(): string {
    this.#sshPublicKey ??= sshPublicKey(this.#publicKey);
    return this.#sshPublicKey;
  }

  /** Standard base64 of the 83-byte PKCS#8 v2 DER, the form Rust Codex writes. */
  toPkcs8Base64(): string {
    const der = encodePkcs8V2(this.#seed, this.#publicKey);
    try {
      return encodeBase64(der);
    } finally {
      der.fill(0);
    }
  }

  /** The X25519 secret sealed task ids are opened with (SPEC §3.5; a copy). */
  x25519SecretKey(): Uint8Array {
    this.#x25519SecretKey ??= deriveX25519SecretKey(this.#seed);
    return Uint8Array.from(this.#x25519SecretKey);
  }

  /** The X25519 public key the backend seals task ids to (SPEC §3.5; a copy). */
  x25519PublicKey(): Uint8Array {
    this.#x25519PublicKey ??= rawPublicKeyOf(this.#x25519KeyObject());
    return Uint8Array.from(this.#x25519PublicKey);
  }

  /**
   * Opens a sealed box addressed to this key's X25519 half (SPEC §3.5), with the secret imported
   * once: a runtime opens one box per task it registers.
   * @internal
   */
  openSealedBox(ciphertext: Uint8Array): Uint8Array {
    return openSealedBoxWithKey(ciphertext, this.#x25519KeyObject(), this.x25519PublicKey());
  }

  #x25519KeyObject(): KeyObject {
    if (this.#x25519PrivateKey === undefined) {
      const secret = this.x25519SecretKey();
      this.#x25519PrivateKey = x25519PrivateKeyObject(secret);
      secret.fill(0);
    }
    return this.#x25519PrivateKey;
  }

  toJSON(): { sshPublicKey: string } {
    return { sshPublicKey: this.sshPublicKey };
  }

  toString(): string {
    return `AgentSigningKey(${this.sshPublicKey})`;
  }

  [inspect.custom](): string {
    return `AgentSigningKey { sshPublicKey: '${this.sshPublicKey}' }`;
  }
}
