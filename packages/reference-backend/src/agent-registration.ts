import { AgentPublicKey } from '@agent-identity/crypto';
import { formatMillisTimestamp, type RegisterAgentRequest } from '@agent-identity/protocol';
import type { BackendContext } from './backend-context.js';
import { HttpError } from './http-error.js';
import type { BiscuitUser } from './biscuit-store.js';
import { newAgentRuntimeId } from './random-ids.js';

/**
 * Registers an agent for `user` (SPEC §3.3; the AuthAPI's register in CODEX-CURRENT.md): stores
 * the key in its normalized SSH form (no comment) in the registry, and answers the new
 * `agent_runtime_id` (the route counts it under its profile). A key that is not a usable ssh-ed25519 key,
 * or not in the prime-order subgroup, is 400 `invalid_request`.
 */
export async function registerAgent(
  context: BackendContext,
  user: BiscuitUser,
  body: RegisterAgentRequest,
): Promise<string> {
  let publicKey: AgentPublicKey;
  try {
    // SPEC §5: only keys in the prime-order subgroup (no torsion component), so every task id can be sealed to it
    publicKey = AgentPublicKey.fromSshForRegistration(body.agent_public_key);
  } catch {
    throw new HttpError(400, 'invalid_request', 'agent_public_key is not a usable ssh-ed25519 public key');
  }
  const agentRuntimeId = newAgentRuntimeId(context.options.randomBytes);
  await context.registry.addAgent({
    agentRuntimeId,
    publicKey: publicKey.sshPublicKey,
    accountId: user.accountId,
    userId: user.userId,
    abom: body.abom,
    capabilities: body.capabilities,
    createdAt: formatMillisTimestamp(context.options.now()),
    revokedAt: null,
  });
  return agentRuntimeId;
}
