import type { DownstreamRejectionCode } from '@agent-identity/protocol';
import type { AgentVerifier } from './agent-verifier.js';
import { parseAuthorization } from './authorization-scheme.js';
import type { AssertionRejectionReason, VerifiedAssertion } from './verification-result.js';

/**
 * Checks a bearer token; `undefined` refuses it. May be async. `Request` is what else the service
 * passes it: nothing for `authorizeRequest`, the upgrade request for transport-ws's guard.
 */
export type BearerAuthenticator<BearerIdentity, Request = void> = (
  token: string,
  request: Request,
) => BearerIdentity | undefined | Promise<BearerIdentity | undefined>;

/** A request that carried a valid `AgentAssertion`: the proven agent and task. */
export interface AssertionCaller {
  readonly scheme: 'assertion';
  readonly identity: VerifiedAssertion;
}

/** A request that carried a bearer token the service's `authenticateBearer` accepted. */
export interface BearerCaller<BearerIdentity> {
  readonly scheme: 'bearer';
  /** What `authenticateBearer` returned. */
  readonly identity: BearerIdentity;
}

/**
 * Who sent an accepted request. Without `authenticateBearer` (`BearerIdentity` = `never`) it is
 * always an assertion: a service that accepts only assertions has no other case to handle.
 */
export type RequestCaller<BearerIdentity = never> = [BearerIdentity] extends [never]
  ? AssertionCaller
  : AssertionCaller | BearerCaller<BearerIdentity>;

/** The caller, or the SPEC §3.8 code and a message for the 401 answer. */
export type RequestAuthorization<BearerIdentity = never> =
  | { readonly ok: true; readonly caller: RequestCaller<BearerIdentity> }
  | { readonly ok: false; readonly code: DownstreamRejectionCode; readonly message: string };

export interface AuthorizeRequestOptions<BearerIdentity = never> {
  readonly verifier: Pick<AgentVerifier, 'verifyAssertion'>;
  /** Checks a `Bearer` token. Without it, bearer requests are refused with `invalid_token`. */
  readonly authenticateBearer?: BearerAuthenticator<BearerIdentity>;
}

const CODE_OF_REASON: Readonly<Record<AssertionRejectionReason, DownstreamRejectionCode>> = {
  malformed: 'malformed_assertion',
  unknown_agent: 'unknown_agent',
  unknown_task: 'unknown_task',
  task_invalid: 'task_invalid',
  bad_signature: 'bad_signature',
  expired: 'expired',
  from_future: 'from_future',
};

/** SPEC §3.8's code for a verifier's rejection reason. */
export function downstreamRejectionCode(reason: AssertionRejectionReason): DownstreamRejectionCode {
  return CODE_OF_REASON[reason];
}

/**
 * Who sent a downstream request (HTTP or a WebSocket handshake), from its `Authorization` value,
 * or why it is refused (SPEC §3.8): credentials → an assertion, verified → a bearer token, if
 * the service checks them → anything else is `invalid_token`. Throws only what the
 * verifier's registries or `authenticateBearer` throw (the service's fault, not the caller's).
 */
export async function authorizeRequest<BearerIdentity = never>(
  authorization: string | undefined,
  options: AuthorizeRequestOptions<BearerIdentity>,
): Promise<RequestAuthorization<BearerIdentity>> {
  const { verifier, authenticateBearer } = options;
  const credentials = parseAuthorization(authorization);
  switch (credentials.scheme) {
    case 'missing':
      return { ok: false, code: 'missing_authorization', message: 'Authorization header is required' };
    case 'agent_assertion': {
      const result = await verifier.verifyAssertion(credentials.header);
      if (!result.ok) return { ok: false, code: downstreamRejectionCode(result.reason), message: result.message };
      return { ok: true, caller: { scheme: 'assertion', identity: result.identity } };
    }
    case 'bearer':
      if (authenticateBearer !== undefined) {
        const identity = await authenticateBearer(credentials.token, undefined);
        if (identity === undefined) return { ok: false, code: 'invalid_token', message: 'bearer token is not valid' };
        return { ok: true, caller: { scheme: 'bearer', identity } as RequestCaller<BearerIdentity> };
      }
      break;
    case 'other':
      break;
  }
  const expected =
    authenticateBearer === undefined ? '"AgentAssertion <token>"' : '"Bearer <token>" or "AgentAssertion <token>"';
  return { ok: false, code: 'invalid_token', message: `Authorization must be ${expected}` };
}
