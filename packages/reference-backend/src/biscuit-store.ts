import { encodeBase64UrlNoPad } from '@agent-identity/protocol';
import { HttpError } from './http-error.js';
import type { BackendUser } from './options.js';

/** What a biscuit was minted for (SPEC §3.2): one call, one method, one absolute URL. */
export interface BiscuitGrant {
  method: string;
  /** Normalized absolute URL (`new URL(…).href`). */
  url: string;
  user: BackendUser;
  expiresAtMs: number;
}

// A bound on outstanding biscuits, so that a client minting in a loop cannot grow memory forever.
const maxOutstandingBiscuits = 100_000;

/**
 * Outstanding biscuits. Random and opaque (32 bytes, base64url); kept in memory only, never
 * persisted or listed. Any presentation spends a biscuit, even one for the wrong call.
 */
export class BiscuitStore {
  readonly #grants = new Map<string, BiscuitGrant>();

  mint(grant: BiscuitGrant, randomBytes: (n: number) => Uint8Array, nowMs: number): string {
    this.#dropExpired(nowMs);
    const biscuit = encodeBase64UrlNoPad(randomBytes(32));
    this.#grants.set(biscuit, grant);
    return biscuit;
  }

  /** The user a biscuit speaks for, if it is valid for this call; else 401 and the biscuit is spent. */
  redeem(biscuit: string | undefined, method: string, url: string, nowMs: number): BackendUser {
    if (biscuit === undefined || biscuit === '') {
      throw new HttpError(401, 'missing_biscuit', 'X-OpenAI-Authorization header is required');
    }
    const grant = this.#grants.get(biscuit);
    this.#grants.delete(biscuit);
    if (grant === undefined) {
      throw new HttpError(401, 'invalid_biscuit', 'biscuit is unknown or already used');
    }
    if (nowMs >= grant.expiresAtMs) {
      throw new HttpError(401, 'biscuit_expired', 'biscuit has expired');
    }
    if (grant.method !== method || grant.url !== url) {
      throw new HttpError(401, 'biscuit_mismatch', `biscuit was minted for another call than ${method} ${url}`);
    }
    return grant.user;
  }

  clear(): void {
    this.#grants.clear();
  }

  #dropExpired(nowMs: number): void {
    // Grants are kept in minting order, so the expired ones (same ttl) come first.
    for (const [biscuit, grant] of this.#grants) {
      if (grant.expiresAtMs > nowMs && this.#grants.size < maxOutstandingBiscuits) break;
      this.#grants.delete(biscuit);
    }
  }
}
