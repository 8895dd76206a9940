import { randomFillSync } from 'node:crypto';

/** A source of `n` cryptographically random bytes; tests inject a deterministic one. */
export type RandomBytes = (n: number) => Uint8Array;

export interface RandomBytesOptions {
  /** Default: {@link defaultRandomBytes}, `node:crypto`'s generator drawn in batches. */
  randomBytes?: RandomBytes;
}

// A call into OpenSSL's generator costs about 5–8 µs whatever its size up to kilobytes (each call
// takes the DRBG's locks), far more than the X25519 or HSalsa20 work the bytes feed. A backend
// draws three small values per task registration, so bytes are drawn 4 KiB at a time.
const POOL_BYTES = 4096;
/** Larger requests are rare (none in the protocol) and go to the generator directly. */
const MAX_POOLED_REQUEST = 256;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/**
 * `n` random bytes from `node:crypto`'s CSPRNG, drawn in 4 KiB batches. Each range is copied out
 * and wiped as it is handed out, so the pool only holds bytes that nobody has received yet.
 */
export const defaultRandomBytes: RandomBytes = (n) => {
  if (n > MAX_POOLED_REQUEST) return randomFillSync(new Uint8Array(n));
  if (poolOffset + n > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const range = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  const bytes = Uint8Array.from(range);
  range.fill(0);
  return bytes;
};
