import { AgentPublicKey } from '@agent-identity/crypto';
import { formatMillisTimestamp, RegisterAgentRequest } from '@agent-identity/protocol';
import { redeemBiscuit } from './biscuit-redemption.js';
import { HttpError } from './http-error.js';
import type { HttpExchange } from './http-exchange.js';
import { sendJson } from './json-response.js';
import { newAgentRuntimeId } from './random-ids.js';
import { readBodyAs } from './request-body.js';

/**
 * `POST …/v1/agent/register` (SPEC §3.3): stores the public key for the biscuit's user and
 * answers a new `agent_runtime_id`. The key is stored in its normalized form (no comment).
 */
export async function handleAgentRegister(exchange: HttpExchange): Promise<void> {
  const { context } = exchange;
  const user = redeemBiscuit(exchange);
  const body = await readBodyAs(exchange, RegisterAgentRequest);
  let publicKey: AgentPublicKey;
  try {
    // SPEC §5: only keys in the prime-order subgroup, so every task id can be sealed to it
    publicKey = AgentPublicKey.fromSshForRegistration(body.agent_public_key);
  } catch {
    throw new HttpError(400, 'invalid_request', 'agent_public_key is not a usable ssh-ed25519 public key');
  }
  const agentRuntimeId = newAgentRuntimeId(context.options.randomBytes);
  context.state.addAgent({
    agentRuntimeId,
    publicKey: publicKey.sshPublicKey,
    accountId: user.accountId,
    userId: user.userId,
    abom: body.abom,
    capabilities: body.capabilities,
    createdAt: formatMillisTimestamp(context.options.now()),
    revokedAt: null,
  });
  await context.persist();
  context.counters.agentRegistered();
  sendJson(exchange.response, 200, { agent_runtime_id: agentRuntimeId });
}
