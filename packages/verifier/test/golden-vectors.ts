import vectors from './fixtures/golden-vectors.json' with { type: 'json' };

/** SPEC §3.7 (seed = 32 × 0x07), computed with libsodium; copied from the shared fixtures. */
export const golden = vectors;

export const goldenSeed = Uint8Array.from(Buffer.from(vectors.seed_hex, 'hex'));

/** 2026-03-23T12:00:00Z, the time both golden signatures carry. */
export const goldenEpochMs = Date.UTC(2026, 2, 23, 12, 0, 0);
