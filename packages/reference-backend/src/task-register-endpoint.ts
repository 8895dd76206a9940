import { sealTaskId } from '@agent-identity/crypto';
import {
  decodeBase64,
  encodeBase64,
  formatMillisTimestamp,
  RegisterTaskRequest,
} from '@agent-identity/protocol';
import type { TaskRegistrationRejectionReason } from '@agent-identity/verifier';
import type { AgentRecord } from './records.js';
import { redeemBiscuit } from './biscuit-redemption.js';
import { HttpError } from './http-error.js';
import type { HttpExchange } from './http-exchange.js';
import { sendJson } from './json-response.js';
import { newTaskId } from './random-ids.js';
import { readBodyAs } from './request-body.js';

const statusOfRejection: Record<TaskRegistrationRejectionReason, number> = {
  malformed: 400,
  unknown_agent: 404,
  bad_signature: 401,
  expired: 401,
  from_future: 401,
};

function activeAgent(exchange: HttpExchange, agentRuntimeId: string): AgentRecord {
  const agent = exchange.context.state.agent(agentRuntimeId);
  if (agent === undefined || agent.revokedAt !== null) {
    throw new HttpError(404, 'unknown_agent', `agent ${agentRuntimeId} is not registered`);
  }
  return agent;
}

/** The `tamper_sealed_box` fault: flip one bit of the last ciphertext byte, so Poly1305 fails. */
function tamper(encryptedTaskId: string): string {
  const bytes = decodeBase64(encryptedTaskId) ?? new Uint8Array();
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
  return encodeBase64(bytes);
}

/**
 * `POST …/v1/agent/{id}/task/register` (SPEC §3.4–3.5): a biscuit for this call, an active agent
 * of the biscuit's user, a `"{id}:{timestamp}"` signature the verifier accepts (window included);
 * then a new task id sealed to the agent's X25519 key.
 */
export async function handleTaskRegister(exchange: HttpExchange): Promise<void> {
  const { context } = exchange;
  const agentRuntimeId = exchange.params[0] ?? '';
  const user = redeemBiscuit(exchange);
  const agent = activeAgent(exchange, agentRuntimeId);
  if (agent.accountId !== user.accountId || agent.userId !== user.userId) {
    throw new HttpError(403, 'forbidden', `agent ${agentRuntimeId} belongs to another user`);
  }
  const body = await readBodyAs(exchange, RegisterTaskRequest);
  const verification = await context.verifier.verifyTaskRegistration({
    agentRuntimeId,
    timestamp: body.timestamp,
    signature: body.signature,
  });
  if (!verification.ok) {
    const code = verification.reason === 'malformed' ? 'invalid_request' : verification.reason;
    throw new HttpError(statusOfRejection[verification.reason], code, verification.message);
  }

  // The verifier's key cache: each agent's key (and its X25519 form) is derived once, not per task.
  const publicKey = await context.verifier.publicKeyOf(agent.agentRuntimeId);
  if (publicKey === undefined) throw new HttpError(404, 'unknown_agent', `agent ${agentRuntimeId} is not registered`);

  const taskId = newTaskId(context.options.randomBytes);
  // sealed before it is saved: a key that cannot receive it (SPEC §3.5) leaves no task behind
  const sealed = sealTaskId(taskId, publicKey, { randomBytes: context.options.randomBytes });
  context.state.addTask({ taskId, agentRuntimeId, createdAt: formatMillisTimestamp(context.options.now()), revokedAt: null });
  await context.persist();
  context.counters.taskRegistered();
  sendJson(exchange.response, 200, { encrypted_task_id: exchange.tamperSealedBox ? tamper(sealed) : sealed });
}
