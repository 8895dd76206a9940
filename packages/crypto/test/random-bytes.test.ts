import { describe, expect, it } from 'vitest';
import { defaultRandomBytes } from '../src/index.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('defaultRandomBytes', () => {
  it('answers exactly n bytes, for small and for large requests', () => {
    for (const n of [0, 1, 16, 32, 256, 257, 10_000]) expect(defaultRandomBytes(n)).toHaveLength(n);
  });

  it('never hands out the same bytes twice, across many refills of its batch', () => {
    const seen = new Set<string>();
    // 4 KiB batches of 32-byte draws: 2,000 draws cross the batch boundary about fifteen times.
    for (let draw = 0; draw < 2_000; draw += 1) seen.add(hex(defaultRandomBytes(32)));
    expect(seen.size).toBe(2_000);
  });

  it('answers bytes the caller owns: wiping them does not touch later draws', () => {
    const first = defaultRandomBytes(32);
    first.fill(0);
    const next = defaultRandomBytes(32);
    expect(next.buffer).not.toBe(first.buffer);
    expect(hex(next)).not.toBe('00'.repeat(32));
  });

  it('draws uniformly enough that every byte value appears in 64 KiB', () => {
    const counts = new Uint32Array(256);
    for (let draw = 0; draw < 1_024; draw += 1)
      for (const byte of defaultRandomBytes(64)) counts[byte] = (counts[byte] ?? 0) + 1;
    // 256 expected per value; a stuck or zeroed pool would leave values at 0.
    expect(Math.min(...counts)).toBeGreaterThan(128);
  });
});
