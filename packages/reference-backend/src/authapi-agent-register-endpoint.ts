import { RegisterAgentRequest } from '@agent-identity/protocol';
import { registerAgent } from './agent-registration.js';
import { bearerUser } from './biscuit-endpoint.js';
import { singleHeader, type HttpExchange } from './http-exchange.js';
import { sendJson } from './json-response.js';
import { readBodyAs } from './request-body.js';

/**
 * `POST {authapi}/v1/agent/register` (CODEX-CURRENT.md, the current profile): the login's access
 * token as `Authorization: Bearer` instead of a biscuit; body `{abom, agent_public_key,
 * capabilities, ttl}`; answers a new `agent_runtime_id` for the token's user.
 */
export async function handleAuthApiAgentRegister(exchange: HttpExchange): Promise<void> {
  const { context } = exchange;
  const user = bearerUser(singleHeader(exchange.request, 'authorization'), context.users);
  const body = await readBodyAs(exchange, RegisterAgentRequest);
  const agentRuntimeId = await registerAgent(context, user, body);
  exchange.context.counters.agentRegistered('codex-current');
  sendJson(exchange.response, 200, { agent_runtime_id: agentRuntimeId });
}
