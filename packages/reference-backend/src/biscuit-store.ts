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

/**
 * The longest `X-Original-Url` a biscuit is minted for, in bytes: the registration URLs of SPEC
 * §3.3–3.4 are well under 300 bytes; longer ones only serve to fill the store.
 */
export const MAX_BISCUIT_URL_BYTES = 2_048;

/** What one grant may cost in memory besides its URL: the biscuit, the map entry, the grant. */
const grantOverheadBytes = 256;

/**
 * The bounds of the outstanding biscuits, so that a client minting in a loop cannot grow memory
 * without limit: by count, and by bytes (URLs included). Past either, the oldest grants go first.
 */
export interface BiscuitStoreLimits {
  maxGrants: number;
  maxBytes: number;
}

const defaultLimits: BiscuitStoreLimits = { maxGrants: 100_000, maxBytes: 16 * 1024 * 1024 };

function costOf(grant: BiscuitGrant): number {
  return Buffer.byteLength(grant.url) + grantOverheadBytes;
}

/**
 * Outstanding biscuits. Random and opaque (32 bytes, base64url); kept in memory only, never
 * persisted or listed. Any presentation spends a biscuit, even one for the wrong call.
 */
export class BiscuitStore {
  readonly #grants = new Map<string, BiscuitGrant>();
  readonly #limits: BiscuitStoreLimits;
  #bytes = 0;

  constructor(limits: BiscuitStoreLimits = defaultLimits) {
    this.#limits = limits;
  }

  /** What the outstanding grants cost, in bytes (an estimate: URLs plus a fixed overhead each). */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#grants.size;
  }

  mint(grant: BiscuitGrant, randomBytes: (n: number) => Uint8Array, nowMs: number): string {
    this.#makeRoom(nowMs, costOf(grant));
    const biscuit = encodeBase64UrlNoPad(randomBytes(32));
    this.#grants.set(biscuit, grant);
    this.#bytes += costOf(grant);
    return biscuit;
  }

  /** The user a biscuit speaks for, if it is valid for this call; else 401 and the biscuit is spent. */
  redeem(biscuit: string | undefined, method: string, url: string, nowMs: number): BackendUser {
    if (biscuit === undefined || biscuit === '') {
      throw new HttpError(401, 'missing_biscuit', 'X-OpenAI-Authorization header is required');
    }
    const grant = this.#grants.get(biscuit);
    if (grant !== undefined) this.#delete(biscuit, grant);
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
    this.#bytes = 0;
  }

  /** Drops the expired grants, then the oldest until one more of `cost` bytes fits both bounds. */
  #makeRoom(nowMs: number, cost: number): void {
    const { maxGrants, maxBytes } = this.#limits;
    // Grants are kept in minting order, so the expired ones (same ttl) and the oldest come first.
    for (const [biscuit, grant] of this.#grants) {
      const fits = this.#grants.size < maxGrants && this.#bytes + cost <= maxBytes;
      if (grant.expiresAtMs > nowMs && fits) break;
      this.#delete(biscuit, grant);
    }
  }

  #delete(biscuit: string, grant: BiscuitGrant): void {
    this.#grants.delete(biscuit);
    this.#bytes -= costOf(grant);
  }
}
