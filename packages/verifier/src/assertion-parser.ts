import {
  AGENT_ASSERTION_SCHEME,
  AssertionHeaderError,
  decodeAgentAssertionHeader,
  encodeAgentAssertionHeader,
  type AgentAssertionEnvelope,
} from '@agent-identity/protocol';
import { isSignatureEncoding, signedEpochMs } from './signed-fields.js';
import { reject, type Rejection, type VerifiedAssertion } from './verification-result.js';

/** A header that parsed: its envelope (for the signature) and the claims it makes. */
export interface ParsedAssertion {
  envelope: AgentAssertionEnvelope;
  identity: VerifiedAssertion;
}

/**
 * The header format is `@agent-identity/protocol`'s; on top of it the token must be the
 * canonical encoding of its envelope (SPEC §5, security rules: one signature, one header string)
 * and the signature strict base64 of 64 bytes, so that a garbled signature reads as `malformed`,
 * not as a forgery.
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
  if (!hasCanonicalToken(header, envelope)) {
    return reject(
      'malformed',
      'AgentAssertion header is malformed: the token is not the canonical encoding of its envelope',
    );
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

/**
 * Whether the header's token is byte for byte the one SPEC §3.6 builds from its envelope: sorted
 * keys, compact, serde_json's escapes, no BOM, no duplicate key (the parser kept the last one),
 * canonical base64url. Re-encoding costs four `JSON.stringify`s and one base64url pass, next to a
 * signature check of about 100 µs. The scheme before it stays liberal (RFC 7235: any case, one or
 * more spaces); a base64url token never holds a space, so the token is what follows the last one.
 */
function hasCanonicalToken(header: string, envelope: AgentAssertionEnvelope): boolean {
  const canonical = encodeAgentAssertionHeader(envelope).slice(AGENT_ASSERTION_SCHEME.length + 1);
  return header.slice(header.lastIndexOf(' ') + 1) === canonical;
}
