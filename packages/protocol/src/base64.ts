/**
 * Strict base64 (SPEC §3.1): standard alphabet with padding for keys, signatures and ciphertexts;
 * URL alphabet without padding for request ids and assertion tokens.
 *
 * Node's decoder is lenient (it skips whitespace and foreign characters, accepts missing padding
 * and non-zero trailing bits), so two different strings can decode to the same bytes. Here each
 * byte string has exactly one accepted encoding: a flat character-class test, the length, and the
 * bits of the last character are checked first (cheap, and bad input is refused before any
 * allocation), then Node decodes.
 */

const STANDARD_ALPHABET_PADDED = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_ALPHABET = /^[A-Za-z0-9_-]*$/;
// The last character before a cut must carry no bits beyond the data: with one byte in the final
// group (2 characters) its low 4 bits are zero, with two bytes (3 characters) its low 2 bits.
const LAST_OF_ONE_BYTE = 'AQgw';
const LAST_OF_TWO_BYTES = 'AEIMQUYcgkosw048';

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** True when the final group of `dataLength` base64 characters (padding excluded) has no stray bits. */
function hasCleanTail(text: string, dataLength: number): boolean {
  switch (dataLength % 4) {
    case 0:
      return true;
    case 2:
      return LAST_OF_ONE_BYTE.includes(text.charAt(dataLength - 1));
    case 3:
      return LAST_OF_TWO_BYTES.includes(text.charAt(dataLength - 1));
    default:
      return false;
  }
}

/**
 * The decoded bytes in their own `Uint8Array`: Node decodes small inputs into a slice of a shared
 * pool, and handing out a view of it would expose its neighbours through `.buffer`.
 */
function decodeToOwnBytes(text: string, encoding: 'base64' | 'base64url'): Uint8Array {
  return new Uint8Array(Buffer.from(text, encoding));
}

export function encodeBase64(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('base64');
}

/** Standard alphabet, padding required, canonical; `undefined` for anything else. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !STANDARD_ALPHABET_PADDED.test(text)) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (!hasCleanTail(text, text.length - padding)) return undefined;
  return decodeToOwnBytes(text, 'base64');
}

export function encodeBase64UrlNoPad(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('base64url');
}

/** URL alphabet (`-`, `_`), no padding, canonical; `undefined` for anything else. */
export function decodeBase64UrlNoPad(text: string): Uint8Array | undefined {
  if (!URL_ALPHABET.test(text) || !hasCleanTail(text, text.length)) return undefined;
  return decodeToOwnBytes(text, 'base64url');
}
