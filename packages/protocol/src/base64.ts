/**
 * Strict base64 (SPEC §3.1): standard alphabet with padding for keys, signatures and ciphertexts;
 * URL alphabet without padding for request ids and assertion tokens.
 *
 * Node's decoder is lenient (it skips whitespace and foreign characters, accepts missing padding
 * and non-zero trailing bits), so two different strings can decode to the same bytes. Here each
 * byte string has exactly one accepted encoding: a regular expression admits only canonical text,
 * then Node decodes it straight into a fresh buffer.
 */

// Groups of four, then an optional final group whose last character carries no stray bits:
// with one byte left (`xx==`) the second character's low 4 bits are zero (A, Q, g, w); with two
// bytes left (`xxx=`) the third character's low 2 bits are zero.
const STANDARD_PATTERN =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$/;
const URL_NO_PAD_PATTERN =
  /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-][AQgw]|[A-Za-z0-9_-]{2}[AEIMQUYcgkosw048])?$/;

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decoded into its own `Uint8Array` (not a view of Node's shared allocation pool). */
function decodeInto(text: string, byteLength: number, encoding: 'base64' | 'base64url'): Uint8Array {
  const bytes = new Uint8Array(byteLength);
  asBuffer(bytes).write(text, encoding);
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('base64');
}

/** Standard alphabet, padding required, canonical; `undefined` for anything else. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!STANDARD_PATTERN.test(text)) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return decodeInto(text, (text.length / 4) * 3 - padding, 'base64');
}

export function encodeBase64UrlNoPad(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('base64url');
}

/** URL alphabet (`-`, `_`), no padding, canonical; `undefined` for anything else. */
export function decodeBase64UrlNoPad(text: string): Uint8Array | undefined {
  if (!URL_NO_PAD_PATTERN.test(text)) return undefined;
  return decodeInto(text, Math.floor((text.length * 3) / 4), 'base64url');
}
