import * as z from 'zod/mini';
import { encodeBase64UrlNoPad } from './base64.js';
import { decodeBase64UrlJson } from './base64url-json.js';
import { AssertionHeaderError } from './errors.js';
import { describeSchemaIssue } from './schema-issue.js';
import { SecondsTimestamp } from './timestamps.js';

/** The JSON object inside an `AgentAssertion` token (SPEC §3.6): exactly these four strings. */
export const AgentAssertionEnvelope = z.strictObject({
  agent_runtime_id: z.string(),
  /** Standard base64 Ed25519 signature over {@link agentAssertionMessage}. */
  signature: z.string(),
  task_id: z.string(),
  timestamp: SecondsTimestamp,
});
export type AgentAssertionEnvelope = z.infer<typeof AgentAssertionEnvelope>;

export const AGENT_ASSERTION_SCHEME = 'AgentAssertion';

/** Longest header `decodeAgentAssertionHeader` looks at; real ones are about 300 characters. */
export const MAX_ASSERTION_HEADER_LENGTH = 8192;

/** The UTF-8 text an assertion signs: `"{agent_runtime_id}:{task_id}:{timestamp}"`. */
export function agentAssertionMessage(runtimeId: string, taskId: string, timestamp: string): string {
  return `${runtimeId}:${taskId}:${timestamp}`;
}

/**
 * `AgentAssertion <base64url-nopad of the compact JSON envelope>`, keys in the SPEC's order.
 * Runs once per downstream request, so the JSON is concatenated rather than built from a sorted
 * object. `JSON.stringify` of a string escapes exactly as serde_json does (`"`, `\`, control
 * characters; non-ASCII left as UTF-8), so the bytes match Codex's.
 */
export function encodeAgentAssertionHeader(envelope: AgentAssertionEnvelope): string {
  const json =
    `{"agent_runtime_id":${JSON.stringify(envelope.agent_runtime_id)}` +
    `,"signature":${JSON.stringify(envelope.signature)}` +
    `,"task_id":${JSON.stringify(envelope.task_id)}` +
    `,"timestamp":${JSON.stringify(envelope.timestamp)}}`;
  return `${AGENT_ASSERTION_SCHEME} ${encodeBase64UrlNoPad(Buffer.from(json, 'utf8'))}`;
}

// RFC 7235: the scheme is case-insensitive and separated from the token by one or more spaces.
const SCHEME_PREFIX = /^AgentAssertion +/i;

/**
 * The envelope of an `Authorization: AgentAssertion …` header value. Checks the format only (see
 * the README's steps); the signature is the verifier's job. Throws {@link AssertionHeaderError}.
 */
export function decodeAgentAssertionHeader(header: string): AgentAssertionEnvelope {
  if (header.length > MAX_ASSERTION_HEADER_LENGTH) {
    throw new AssertionHeaderError('too_long', `header is longer than ${MAX_ASSERTION_HEADER_LENGTH} characters`);
  }
  const prefix = SCHEME_PREFIX.exec(header);
  if (prefix === null) {
    throw new AssertionHeaderError('missing_scheme', 'expected "AgentAssertion <token>"');
  }
  const token = header.slice(prefix[0].length);
  const decoded = token === '' ? undefined : decodeBase64UrlJson(token);
  if (decoded === undefined || !decoded.ok) {
    throw decoded?.reason === 'not_json'
      ? new AssertionHeaderError('not_json', 'token is not UTF-8 JSON')
      : new AssertionHeaderError('bad_base64', 'token is not base64url without padding');
  }
  const result = AgentAssertionEnvelope.safeParse(decoded.value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AssertionHeaderError(
      'invalid_envelope',
      issue === undefined ? 'envelope is invalid' : describeSchemaIssue('envelope', issue.path, issue),
    );
  }
  return result.data;
}
