import { decodeBase64, encodeBase64, taskRegistrationMessage } from '@agent-identity/protocol';
import type { AgentPublicKey } from './agent-public-key.js';
import type { AgentSigningKey } from './agent-signing-key.js';

/** The `signature` of a task registration body: standard base64 (SPEC §3.4). */
export function signTaskRegistration(key: AgentSigningKey, runtimeId: string, timestamp: string): string {
  return encodeBase64(key.sign(taskRegistrationMessage(runtimeId, timestamp)));
}

/**
 * Whether `signatureBase64` is `publicKey`'s signature of this registration. A
 * signature that is not strict base64 of 64 bytes is `false`, not an error.
 */
export function verifyTaskRegistration(
  publicKey: AgentPublicKey,
  runtimeId: string,
  timestamp: string,
  signatureBase64: string,
): boolean {
  const signature = typeof signatureBase64 === 'string' ? decodeBase64(signatureBase64) : undefined;
  return signature !== undefined && publicKey.verify(taskRegistrationMessage(runtimeId, timestamp), signature);
}
