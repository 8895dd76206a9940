import type { BiscuitGrant } from './records.js';

/**
 * The longest `X-Original-Url` a biscuit is minted for, in bytes: the registration URLs of SPEC
 * §3.3–3.4 are well under 300 bytes; longer ones only serve to fill the store.
 */
export const MAX_BISCUIT_URL_BYTES = 2_048;

/** What one grant may cost in memory besides its URL: the biscuit, the map entry, the grant. */
const grantOverheadBytes = 256;

/**
 * The bounds of the outstanding biscuits in memory, so that a client minting in a loop cannot
 * grow memory without limit: by count, and by bytes (URLs included). Past either, the oldest go first.
 */
export interface BiscuitLimits {
  maxGrants: number;
  maxBytes: number;
}

export const DEFAULT_BISCUIT_LIMITS: BiscuitLimits = { maxGrants: 100_000, maxBytes: 16 * 1024 * 1024 };

function costOf(grant: BiscuitGrant): number {
  return Buffer.byteLength(grant.url) + grantOverheadBytes;
}

/** Outstanding grants by biscuit, in minting order, within {@link BiscuitLimits}. */
export class BoundedGrants {
  readonly #grants = new Map<string, BiscuitGrant>();
  readonly #limits: BiscuitLimits;
  #bytes = 0;

  constructor(limits: BiscuitLimits) {
    this.#limits = limits;
  }

  /** What the outstanding grants cost, in bytes (an estimate: URLs plus a fixed overhead each). */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#grants.size;
  }

  add(biscuit: string, grant: BiscuitGrant, nowMs: number): void {
    this.#makeRoom(nowMs, costOf(grant));
    this.#grants.set(biscuit, { ...grant });
    this.#bytes += costOf(grant);
  }

  take(biscuit: string): BiscuitGrant | undefined {
    const grant = this.#grants.get(biscuit);
    if (grant === undefined) return undefined;
    this.#grants.delete(biscuit);
    this.#bytes -= costOf(grant);
    return grant;
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
      this.take(biscuit);
    }
  }
}
