/** A message to sign or verify, as bytes: strings are UTF-8 (SPEC §3.4, §3.6). */
export type SignedMessage = string | Uint8Array;

export function messageBytes(message: SignedMessage): Uint8Array {
  return typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
}
