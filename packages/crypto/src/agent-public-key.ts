import { verify, type KeyObject } from 'node:crypto';
import { CryptoError } from './crypto-error.js';
import { checkEd25519PublicKey, ed25519PublicKeyToX25519 } from './edwards25519.js';
import { requireKeyBytes } from './key-bytes.js';
import { messageBytes, type SignedMessage } from './message-bytes.js';
import { ed25519PublicKeyObject } from './raw-key-objects.js';
import { parseSshPublicKey, sshPublicKey } from './ssh-public-key.js';

const signatureLength = 64;

/**
 * A registered agent's Ed25519 public key, for verifiers and the backend. The `KeyObject` is
 * built once in the factory (SPEC §4.7: import public keys once); `verify` reuses it.
 *
 * The class never names itself in its body and has no computed keys (its SSH form is an own
 * property, which is what `util.inspect` shows): a bundler then keeps its name and drops it, with
 * the curve arithmetic it needs, from a client that never verifies.
 */
export class AgentPublicKey {
  readonly #raw: Uint8Array;
  readonly #keyObject: KeyObject;
  #x25519PublicKey: Uint8Array | undefined;
  /** `ssh-ed25519 <base64>`, without a comment. */
  readonly sshPublicKey: string;

  private constructor(raw: Uint8Array) {
    this.#raw = raw;
    this.#keyObject = ed25519PublicKeyObject(raw);
    this.sshPublicKey = sshPublicKey(raw);
  }

  /**
   * The key of 32 raw bytes. `KEY_INVALID` unless they encode a curve point that is not of small
   * order (a small-order key would accept forged signatures).
   */
  static fromRaw(bytes: Uint8Array): AgentPublicKey {
    return publicKeyOfRaw(bytes);
  }

  /** The key of `ssh-ed25519 <base64 blob>[ comment]`; any problem is `SSH_KEY_INVALID`. */
  static fromSsh(text: string): AgentPublicKey {
    return publicKeyOfSsh(text);
  }

  /**
   * The key of `ssh-ed25519 <base64 blob>`, for a backend about to register it: on top of
   * {@link fromSsh}'s checks, the point must lie in the prime-order subgroup (SPEC §5: no torsion
   * component). Such a key cannot receive sealed task ids (SPEC §3.5), and Ed25519 verification
   * of it depends on the signature's hash parity, so it is refused up front: `SSH_KEY_INVALID`,
   * cause `KEY_INVALID`. Costs about a millisecond (its X25519 form, needed to seal task ids, is
   * derived now and kept), so verifiers importing keys a backend already checked use `fromSsh`.
   */
  static fromSshForRegistration(text: string): AgentPublicKey {
    const key = publicKeyOfSsh(text);
    try {
      key.x25519PublicKey();
    } catch (error) {
      throw new CryptoError('SSH_KEY_INVALID', 'SSH public key is not a usable Ed25519 key', { cause: error });
    }
    return key;
  }

  /**
   * Whether `signature` is this key's Ed25519 signature of `message` (strings as UTF-8). A
   * signature that is not 64 bytes is simply not valid: `false`, never an error.
   */
  verify(message: SignedMessage, signature: Uint8Array): boolean {
    if (!(signature instanceof Uint8Array) || signature.length !== signatureLength) return false;
    return verify(null, messageBytes(message), this.#keyObject, signature);
  }

  /** The 32 raw bytes (a copy). */
  get raw(): Uint8Array {
    return Uint8Array.from(this.#raw);
  }

  /**
   * The X25519 key to seal task ids to (SPEC §3.5; a copy), equal to what the agent
   * derives from its seed. `KEY_INVALID` for a key outside the prime-order subgroup, which no
   * seed produces.
   */
  x25519PublicKey(): Uint8Array {
    this.#x25519PublicKey ??= ed25519PublicKeyToX25519(this.#raw);
    return Uint8Array.from(this.#x25519PublicKey);
  }

  toJSON(): { sshPublicKey: string } {
    return { sshPublicKey: this.sshPublicKey };
  }

  toString(): string {
    return `AgentPublicKey(${this.sshPublicKey})`;
  }
}

function publicKeyOfRaw(bytes: Uint8Array): AgentPublicKey {
  const raw = Uint8Array.from(requireKeyBytes(bytes, 'an Ed25519 public key'));
  checkEd25519PublicKey(raw);
  // The private constructor, called from outside the class body (see the class comment).
  return new (AgentPublicKey as unknown as new (raw: Uint8Array) => AgentPublicKey)(raw);
}

function publicKeyOfSsh(text: string): AgentPublicKey {
  const raw = parseSshPublicKey(text);
  try {
    return publicKeyOfRaw(raw);
  } catch (error) {
    throw new CryptoError('SSH_KEY_INVALID', 'SSH public key is not a usable Ed25519 key', { cause: error });
  }
}
