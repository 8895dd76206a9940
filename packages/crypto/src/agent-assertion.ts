import {
  agentAssertionMessage,
  decodeBase64,
  encodeAgentAssertionHeader,
  encodeBase64,
  type AgentAssertionEnvelope,
} from '@agent-identity/protocol';
import type { AgentPublicKey } from './agent-public-key.js';
import type { AgentSigningKey } from './agent-signing-key.js';

/** What an assertion states: which agent, which task, when (RFC 3339 UTC to the second). */
export interface AgentAssertionClaims {
  agentRuntimeId: string;
  taskId: string;
  timestamp: string;
}

/**
 * The `Authorization` header value `AgentAssertion <token>` for these claims (SPEC §3.6). One signature plus string concatenation: no object is built, sorted or re-parsed.
 * The caller has checked that the task belongs to the key's runtime.
 */
export function buildAgentAssertion(key: AgentSigningKey, claims: AgentAssertionClaims): string {
  const { agentRuntimeId, taskId, timestamp } = claims;
  return encodeAgentAssertionHeader({
    agent_runtime_id: agentRuntimeId,
    signature: encodeBase64(key.sign(agentAssertionMessage(agentRuntimeId, taskId, timestamp))),
    task_id: taskId,
    timestamp,
  });
}

/**
 * Whether a decoded envelope's `signature` is `publicKey`'s signature over
 * `"{agent_runtime_id}:{task_id}:{timestamp}"`. A signature that is not strict base64 of 64 bytes
 * is `false`. The time window is the verifier's business.
 */
export function verifyAgentAssertionSignature(publicKey: AgentPublicKey, envelope: AgentAssertionEnvelope): boolean {
  const signature = decodeBase64(envelope.signature);
  return (
    signature !== undefined &&
    publicKey.verify(agentAssertionMessage(envelope.agent_runtime_id, envelope.task_id, envelope.timestamp), signature)
  );
}
