import { decodeBase64, encodeBase64 } from '@agent-identity/protocol';
import type { AgentPublicKey } from './agent-public-key.js';
import type { AgentSigningKey } from './agent-signing-key.js';
import { CryptoError } from './crypto-error.js';
import type { RandomBytesOptions } from './random-bytes.js';

// fatal: invalid UTF-8 is an error, not U+FFFD; ignoreBOM: a leading U+FEFF is part of the id.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

/**
 * The task id of a task registration's `encrypted_task_id` (SPEC §3.4), with the SPEC
 * error texts: `TASK_ID_NOT_BASE64`, `TASK_ID_DECRYPT_FAILED` (the sealed-box error as `cause`),
 * `TASK_ID_NOT_UTF8`.
 */
export function openSealedTaskId(key: AgentSigningKey, encryptedTaskIdBase64: string): string {
  const sealed = typeof encryptedTaskIdBase64 === 'string' ? decodeBase64(encryptedTaskIdBase64) : undefined;
  if (sealed === undefined) {
    throw new CryptoError('TASK_ID_NOT_BASE64', 'encrypted task id is not valid base64');
  }
  let plaintext: Uint8Array;
  try {
    plaintext = key.openSealedBox(sealed);
  } catch (error) {
    throw new CryptoError('TASK_ID_DECRYPT_FAILED', 'failed to decrypt encrypted task id', { cause: error });
  }
  try {
    return strictUtf8.decode(plaintext);
  } catch (error) {
    throw new CryptoError('TASK_ID_NOT_UTF8', 'decrypted task id is not valid UTF-8', { cause: error });
  }
}

/** A task id sealed to an agent's key, as the backend returns it: standard base64. */
export function sealTaskId(taskId: string, agentPublicKey: AgentPublicKey, options: RandomBytesOptions = {}): string {
  return encodeBase64(agentPublicKey.sealBox(utf8.encode(taskId), options));
}
