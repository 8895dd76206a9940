import { decodeBase64, parseSecondsTimestamp } from '@agent-identity/protocol';

const ed25519SignatureLength = 64;

/** Epoch ms of a signed `YYYY-MM-DDTHH:MM:SSZ` timestamp, or `undefined` for any other text. */
export function signedEpochMs(timestamp: unknown): number | undefined {
  return typeof timestamp === 'string' ? parseSecondsTimestamp(timestamp) : undefined;
}

/** Whether `signature` is strict standard base64 of an Ed25519 signature's 64 bytes. */
export function isSignatureEncoding(signature: unknown): signature is string {
  return typeof signature === 'string' && decodeBase64(signature)?.length === ed25519SignatureLength;
}
