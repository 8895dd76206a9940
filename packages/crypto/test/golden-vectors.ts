import vectors from './fixtures/golden-vectors.json' with { type: 'json' };

/** SPEC §3.7 (seed = 32 × 0x07), computed with libsodium; copied from the shared fixtures. */
export const golden = vectors;

export const goldenSeed = Uint8Array.from(Buffer.from(vectors.seed_hex, 'hex'));
export const goldenPublicKey = Uint8Array.from(Buffer.from(vectors.ed25519_public_hex, 'hex'));
export const goldenX25519Secret = Uint8Array.from(Buffer.from(vectors.x25519_secret_hex, 'hex'));
export const goldenX25519Public = Uint8Array.from(Buffer.from(vectors.x25519_public_hex, 'hex'));

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'base64'));
}
