import { encodeBase64UrlNoPad } from '@agent-identity/protocol';
import type { BiscuitGrant, RegistryStore } from '@agent-identity/registry';
import { HttpError } from './http-error.js';

/** Whom a redeemed biscuit speaks for: a configured user, by its ids (its token is never stored). */
export type BiscuitUser = Pick<BiscuitGrant, 'accountId' | 'userId'>;

/**
 * Biscuits (SPEC §3.2): random and opaque (32 bytes, base64url), their grants kept in the
 * registry so that any instance redeems what another minted, exactly once. Never listed. Any
 * presentation spends a biscuit, even one for the wrong call.
 */
export class BiscuitStore {
  readonly #registry: RegistryStore;

  constructor(registry: RegistryStore) {
    this.#registry = registry;
  }

  async mint(grant: BiscuitGrant, randomBytes: (n: number) => Uint8Array, nowMs: number): Promise<string> {
    const biscuit = encodeBase64UrlNoPad(randomBytes(32));
    await this.#registry.saveBiscuit(biscuit, grant, nowMs);
    return biscuit;
  }

  /** The user a biscuit speaks for, if it is valid for this call; else 401 and the biscuit is spent. */
  async redeem(biscuit: string | undefined, method: string, url: string, nowMs: number): Promise<BiscuitUser> {
    if (biscuit === undefined || biscuit === '') {
      throw new HttpError(401, 'missing_biscuit', 'X-OpenAI-Authorization header is required');
    }
    const grant = await this.#registry.takeBiscuit(biscuit);
    if (grant === undefined) {
      throw new HttpError(401, 'invalid_biscuit', 'biscuit is unknown or already used');
    }
    if (nowMs >= grant.expiresAtMs) {
      throw new HttpError(401, 'biscuit_expired', 'biscuit has expired');
    }
    if (grant.method !== method || grant.url !== url) {
      throw new HttpError(401, 'biscuit_mismatch', `biscuit was minted for another call than ${method} ${url}`);
    }
    return { accountId: grant.accountId, userId: grant.userId };
  }
}
