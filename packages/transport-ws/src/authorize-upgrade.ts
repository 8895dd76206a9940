import type { IncomingMessage } from 'node:http';
import type { DownstreamRejectionCode } from '@agent-identity/protocol';
import type { AgentVerifier, AssertionRejectionReason } from '@agent-identity/verifier';
import type { AssertionCaller, BearerCaller } from './upgrade-caller.js';

/** Checks a bearer token; `undefined` refuses it. May be async. */
export type BearerAuthenticator<BearerIdentity> = (
  token: string,
  request: IncomingMessage,
) => BearerIdentity | undefined | Promise<BearerIdentity | undefined>;

export type UpgradeAuthorization<BearerIdentity> =
  | { readonly ok: true; readonly caller: AssertionCaller | BearerCaller<BearerIdentity> }
  | { readonly ok: false; readonly code: DownstreamRejectionCode; readonly message: string };

/** SPEC §3.8's name for each verifier reason. */
const CODE_OF_REASON: Readonly<Record<AssertionRejectionReason, DownstreamRejectionCode>> = {
  malformed: 'malformed_assertion',
  unknown_agent: 'unknown_agent',
  unknown_task: 'unknown_task',
  task_invalid: 'task_invalid',
  bad_signature: 'bad_signature',
  expired: 'expired',
  from_future: 'from_future',
};

// RFC 7235: the scheme is case-insensitive and followed by one or more spaces.
const BEARER = /^Bearer +(\S+)$/i;
const AGENT_ASSERTION = /^AgentAssertion(?: |$)/i;

/**
 * README steps G1–G4: who sent this handshake, or why it is refused. Throws only what the
 * verifier's registries or `authenticateBearer` throw (the server's fault, not the caller's).
 */
export async function authorizeUpgrade<BearerIdentity>(
  request: IncomingMessage,
  verifier: Pick<AgentVerifier, 'verifyAssertion'>,
  authenticateBearer: BearerAuthenticator<BearerIdentity> | undefined,
): Promise<UpgradeAuthorization<BearerIdentity>> {
  // G1 — credentials.
  const header = request.headers.authorization?.trim() ?? '';
  if (header === '') return { ok: false, code: 'missing_authorization', message: 'Authorization header is required' };

  // G2 + G3 — an assertion, verified.
  if (AGENT_ASSERTION.test(header)) {
    const result = await verifier.verifyAssertion(header);
    if (!result.ok) return { ok: false, code: CODE_OF_REASON[result.reason], message: result.message };
    return { ok: true, caller: { scheme: 'assertion', identity: result.identity } };
  }

  // G2 + G4 — a bearer token, only if the service has a way to check one.
  const token = BEARER.exec(header)?.[1];
  if (token !== undefined && authenticateBearer !== undefined) {
    const identity = await authenticateBearer(token, request);
    if (identity !== undefined) return { ok: true, caller: { scheme: 'bearer', identity } };
    return { ok: false, code: 'invalid_token', message: 'bearer token is not valid' };
  }
  const expected = authenticateBearer === undefined ? '"AgentAssertion <token>"' : '"Bearer <token>" or "AgentAssertion <token>"';
  return { ok: false, code: 'invalid_token', message: `Authorization must be ${expected}` };
}
