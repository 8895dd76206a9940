import { RegisterAgentRequest } from '@agent-identity/protocol';
import { registerAgent } from './agent-registration.js';
import { redeemBiscuit } from './biscuit-redemption.js';
import type { HttpExchange } from './http-exchange.js';
import { sendJson } from './json-response.js';
import { readBodyAs } from './request-body.js';

/**
 * `POST …/v1/agent/register` (SPEC §3.3): stores the public key for the biscuit's user and
 * answers a new `agent_runtime_id`.
 */
export async function handleAgentRegister(exchange: HttpExchange): Promise<void> {
  const user = await redeemBiscuit(exchange);
  const body = await readBodyAs(exchange, RegisterAgentRequest);
  const agentRuntimeId = await registerAgent(exchange.context, user, body);
  exchange.context.counters.agentRegistered('codex-0.122');
  sendJson(exchange.response, 200, { agent_runtime_id: agentRuntimeId });
}
