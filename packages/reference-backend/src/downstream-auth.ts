import type { DownstreamRejectionCode } from '@agent-identity/protocol';
import type { AgentVerifier, AssertionRejectionReason } from '@agent-identity/verifier';
import { parseAuthorization } from './authorization-header.js';
import type { BackendUser } from './options.js';
import type { UserDirectory } from './user-directory.js';

/** Who a downstream request comes from. */
export type DownstreamCaller =
  | { auth: 'agent_assertion'; agentRuntimeId: string; taskId: string }
  | { auth: 'bearer'; user: BackendUser };

export type DownstreamAuthorization =
  | { ok: true; caller: DownstreamCaller }
  | { ok: false; code: DownstreamRejectionCode; message: string };

const codeOfReason: Record<AssertionRejectionReason, DownstreamRejectionCode> = {
  malformed: 'malformed_assertion',
  unknown_agent: 'unknown_agent',
  unknown_task: 'unknown_task',
  task_invalid: 'task_invalid',
  bad_signature: 'bad_signature',
  expired: 'expired',
  from_future: 'from_future',
};

/**
 * SPEC §3.8: `Bearer` with a configured user's access token, or an `AgentAssertion` the verifier
 * accepts; anything else is refused with the SPEC's code. Shared by HTTP and the WebSocket
 * handshake so both refuse alike.
 */
export async function authorizeDownstream(
  authorization: string | undefined,
  users: UserDirectory,
  verifier: AgentVerifier,
): Promise<DownstreamAuthorization> {
  const credentials = parseAuthorization(authorization);
  switch (credentials.scheme) {
    case 'missing':
      return { ok: false, code: 'missing_authorization', message: 'Authorization header is required' };
    case 'bearer': {
      const user = users.byAccessToken(credentials.token);
      return user === undefined
        ? { ok: false, code: 'invalid_token', message: 'bearer token is not valid' }
        : { ok: true, caller: { auth: 'bearer', user } };
    }
    case 'agent_assertion': {
      const result = await verifier.verifyAssertion(credentials.header);
      if (!result.ok) return { ok: false, code: codeOfReason[result.reason], message: result.message };
      const { agentRuntimeId, taskId } = result.identity;
      return { ok: true, caller: { auth: 'agent_assertion', agentRuntimeId, taskId } };
    }
    case 'other':
      return {
        ok: false,
        code: 'invalid_token',
        message: 'Authorization must be "Bearer <token>" or "AgentAssertion <token>"',
      };
  }
}
