import { decodeAgentAssertionHeader } from '@agent-identity/protocol';
import { authorizeRequest, type AgentVerifier } from '@agent-identity/verifier';

/** The agent and task of an assertion, once verified. */
export interface VerifiedCaller {
  readonly agentRuntimeId: string;
  readonly taskId: string;
}

export type GatewayAuthorization =
  | { readonly ok: true; readonly caller: VerifiedCaller }
  | {
      readonly ok: false;
      /** 401 for the caller's credentials, 503 when the registry could not be read. */
      readonly status: 401 | 503;
      readonly code: string;
      readonly message: string;
      /** What the refused assertion claimed to be, when it could be read at all (for the log, unproven). */
      readonly claimed: VerifiedCaller | undefined;
    };

/** An assertion's claimed agent and task, read without checking anything; `undefined` if unreadable. */
function claimedCaller(authorization: string | undefined): VerifiedCaller | undefined {
  if (authorization === undefined) return undefined;
  try {
    const envelope = decodeAgentAssertionHeader(authorization);
    return { agentRuntimeId: envelope.agent_runtime_id, taskId: envelope.task_id };
  } catch {
    return undefined;
  }
}

/**
 * The gateway's answer to an `Authorization` value (HTTP request or WebSocket handshake): a valid
 * `AgentAssertion` (SPEC §3.6, §3.8) or the SPEC's 401 code. The gateway takes no `Bearer`: its
 * callers are agents, and the upstream credential is its own. A registry that cannot be read is a
 * 503 `registry_unavailable`, never a pass.
 */
export async function authorizeGatewayRequest(
  authorization: string | undefined,
  verifier: AgentVerifier,
): Promise<GatewayAuthorization> {
  try {
    const result = await authorizeRequest(authorization, { verifier });
    if (result.ok) {
      const { agentRuntimeId, taskId } = result.caller.identity;
      return { ok: true, caller: { agentRuntimeId, taskId } };
    }
    return {
      ok: false,
      status: 401,
      code: result.code,
      message: result.message,
      claimed: claimedCaller(authorization),
    };
  } catch {
    return {
      ok: false,
      status: 503,
      code: 'registry_unavailable',
      message: 'the gateway cannot read its registry right now; try again',
      claimed: claimedCaller(authorization),
    };
  }
}
