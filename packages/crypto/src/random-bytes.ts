import { randomBytes } from 'node:crypto';

/** A source of `n` cryptographically random bytes; tests inject a deterministic one. */
export type RandomBytes = (n: number) => Uint8Array;

export interface RandomBytesOptions {
  /** Default: `node:crypto`'s `randomBytes`. */
  randomBytes?: RandomBytes;
}

export const defaultRandomBytes: RandomBytes = (n) => randomBytes(n);
