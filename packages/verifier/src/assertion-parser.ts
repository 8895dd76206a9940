import {
  AssertionHeaderError,
  decodeAgentAssertionHeader,
  type AgentAssertionEnvelope,
} from '@agent-identity/protocol';
import { isSignatureEncoding, signedEpochMs } from './signed-fields.js';
import { reject, type Rejection, type VerifiedAssertion } from './verification-result.js';

/** A header that passed step V1: its envelope (for the signature) and the claims it makes. */
export interface ParsedAssertion {
  envelope: AgentAssertionEnvelope;
  identity: VerifiedAssertion;
}

/**
 * Step V1: the header format is `@agent-identity/protocol`'s; on top of it the signature must be
 * strict base64 of 64 bytes, so that a garbled signature reads as `malformed`, not as a forgery.
 */
export function parseAssertion(header: string): ParsedAssertion | Rejection<'malformed'> {
  let envelope: AgentAssertionEnvelope;
  try {
    envelope = decodeAgentAssertionHeader(header);
  } catch (error) {
    if (AssertionHeaderError.isInstance(error)) {
      return reject('malformed', `AgentAssertion header is malformed: ${error.message}`);
    }
    throw error;
  }
  const epochMs = signedEpochMs(envelope.timestamp);
  if (epochMs === undefined) {
    return reject('malformed', 'AgentAssertion timestamp is not RFC 3339 UTC to the second');
  }
  if (!isSignatureEncoding(envelope.signature)) {
    return reject('malformed', 'AgentAssertion signature is not standard base64 of 64 bytes');
  }
  return {
    envelope,
    identity: {
      agentRuntimeId: envelope.agent_runtime_id,
      taskId: envelope.task_id,
      timestamp: envelope.timestamp,
      epochMs,
    },
  };
}
