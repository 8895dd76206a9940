import type { DownstreamRejectionCode } from '@agent-identity/protocol';
import { authorizeRequest, type AgentVerifier } from '@agent-identity/verifier';
import type { RegistryStore } from '@agent-identity/registry';
import type { BackendUser } from './options.js';
import type { UserDirectory } from './user-directory.js';

/** Who a downstream request comes from. */
export type DownstreamCaller =
  { auth: 'agent_assertion'; agentRuntimeId: string; taskId: string } | { auth: 'bearer'; user: BackendUser };

export type DownstreamAuthorization =
  { ok: true; caller: DownstreamCaller } | { ok: false; code: DownstreamRejectionCode; message: string };

/** The credentials of a downstream request: its `Authorization` and `ChatGPT-Account-ID` headers. */
export interface DownstreamCredentials {
  authorization: string | undefined;
  /** `undefined` when absent; a header sent twice arrives as an array and never matches. */
  accountId: string | readonly string[] | undefined;
}

/** The account a caller acts for: the agent's (registered with it) or the bearer user's. */
async function accountOf(caller: DownstreamCaller, registry: RegistryStore): Promise<string | undefined> {
  return caller.auth === 'bearer' ? caller.user.accountId : (await registry.agent(caller.agentRuntimeId))?.accountId;
}

/**
 * SPEC §3.8: `Bearer` with a configured user's access token, or an `AgentAssertion` the verifier
 * accepts; anything else is refused with the SPEC's code. The current profile sends
 * `ChatGPT-Account-ID` beside the assertion (CODEX-CURRENT.md), and bearer calls carry it too:
 * when present it must name the caller's account, else 401 `account_mismatch`. Shared by HTTP and
 * the WebSocket handshake so both refuse alike.
 */
export async function authorizeDownstream(
  credentials: DownstreamCredentials,
  users: UserDirectory,
  verifier: AgentVerifier,
  registry: RegistryStore,
): Promise<DownstreamAuthorization> {
  const result = await authorizeRequest(credentials.authorization, {
    verifier,
    authenticateBearer: (token) => users.byAccessToken(token),
  });
  if (!result.ok) return result;
  const { caller: verified } = result;
  const caller: DownstreamCaller =
    verified.scheme === 'bearer'
      ? { auth: 'bearer', user: verified.identity }
      : { auth: 'agent_assertion', agentRuntimeId: verified.identity.agentRuntimeId, taskId: verified.identity.taskId };
  if (credentials.accountId !== undefined && credentials.accountId !== (await accountOf(caller, registry))) {
    return {
      ok: false,
      code: 'account_mismatch',
      message: 'ChatGPT-Account-ID does not name the account of the agent or user that signed the request',
    };
  }
  return { ok: true, caller };
}
