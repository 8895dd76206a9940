/**
 * A UUID version 7 (RFC 9562 §5.7), the form Codex gives thread ids: 48 bits of Unix time in
 * milliseconds, then random bits, so ids sort by creation time.
 */
export function uuidV7(epochMs: number, randomBytes: (n: number) => Uint8Array): string {
  const bytes = Uint8Array.from(randomBytes(16));
  let time = Math.floor(epochMs);
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
