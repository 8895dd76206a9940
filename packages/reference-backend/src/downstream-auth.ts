import type { DownstreamRejectionCode } from '@agent-identity/protocol';
import { authorizeRequest, type AgentVerifier } from '@agent-identity/verifier';
import type { BackendUser } from './options.js';
import type { UserDirectory } from './user-directory.js';

/** Who a downstream request comes from. */
export type DownstreamCaller =
  | { auth: 'agent_assertion'; agentRuntimeId: string; taskId: string }
  | { auth: 'bearer'; user: BackendUser };

export type DownstreamAuthorization =
  | { ok: true; caller: DownstreamCaller }
  | { ok: false; code: DownstreamRejectionCode; message: string };

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
  const result = await authorizeRequest(authorization, {
    verifier,
    authenticateBearer: (token) => users.byAccessToken(token),
  });
  if (!result.ok) return result;
  const { caller } = result;
  return caller.scheme === 'bearer'
    ? { ok: true, caller: { auth: 'bearer', user: caller.identity } }
    : {
        ok: true,
        caller: { auth: 'agent_assertion', agentRuntimeId: caller.identity.agentRuntimeId, taskId: caller.identity.taskId },
      };
}
