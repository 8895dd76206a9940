import { AgentPublicKey } from '@agent-identity/crypto';
import { LruCache } from './lru-cache.js';
import { VerifierError } from './verifier-error.js';

/**
 * Imported public keys, keyed by the SSH text itself: a registry that starts returning another
 * key for a runtime id (rotation, re-registration) gets that key, never a stale one.
 */
export class PublicKeyCache {
  readonly #keys: LruCache<string, AgentPublicKey>;

  constructor(capacity: number) {
    this.#keys = new LruCache(capacity);
  }

  /** The `AgentPublicKey` of `sshPublicKey`, imported on first use. */
  get(sshPublicKey: string, agentRuntimeId: string): AgentPublicKey {
    const cached = this.#keys.get(sshPublicKey);
    if (cached !== undefined) return cached;
    let key: AgentPublicKey;
    try {
      key = AgentPublicKey.fromSsh(sshPublicKey);
    } catch (error) {
      throw new VerifierError(
        'REGISTERED_KEY_INVALID',
        `the key registry returned an invalid public key for agent ${agentRuntimeId}`,
        { cause: error },
      );
    }
    this.#keys.set(sshPublicKey, key);
    return key;
  }
}
