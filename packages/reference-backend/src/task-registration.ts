import { sealTaskId } from '@agent-identity/crypto';
import { decodeBase64, encodeBase64, formatMillisTimestamp, RegisterTaskRequest } from '@agent-identity/protocol';
import type { TaskRegistrationRejectionReason } from '@agent-identity/verifier';
import type { AgentRecord } from '@agent-identity/registry';
import type { BiscuitUser } from './biscuit-store.js';
import { HttpError } from './http-error.js';
import type { HttpExchange } from './http-exchange.js';
import { sendJson } from './json-response.js';
import type { TaskIdAnswerForm } from './options.js';
import { newTaskId } from './random-ids.js';
import type { RegistrationProfile } from './registration-profile.js';
import { readBodyAs } from './request-body.js';

const statusOfRejection: Record<TaskRegistrationRejectionReason, number> = {
  malformed: 400,
  unknown_agent: 404,
  bad_signature: 401,
  expired: 401,
  from_future: 401,
};

/** How one route registers tasks: who may, under which profile, and how the task id is answered. */
export interface TaskRegistrationRoute {
  /** The user the call's credentials speak for; `undefined` when the signature is the only proof. */
  caller: BiscuitUser | undefined;
  profile: RegistrationProfile;
  answer: TaskIdAnswerForm;
}

async function activeAgent(exchange: HttpExchange, agentRuntimeId: string): Promise<AgentRecord> {
  const agent = await exchange.context.registry.agent(agentRuntimeId);
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
 * Registers a task for the agent of the path (SPEC §3.4–3.5; CODEX-CURRENT.md's AuthAPI): an
 * active agent (of the caller, when there is one), a `"{id}:{timestamp}"` signature the verifier
 * accepts (window included); then a new task id, answered plain or sealed to the agent's X25519
 * key. The answer is built before the task is saved, so a registration that fails saves nothing.
 */
export async function registerTask(exchange: HttpExchange, route: TaskRegistrationRoute): Promise<void> {
  const { context } = exchange;
  const agentRuntimeId = exchange.params[0] ?? '';
  const agent = await activeAgent(exchange, agentRuntimeId);
  const { caller } = route;
  if (caller !== undefined && (agent.accountId !== caller.accountId || agent.userId !== caller.userId)) {
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

  const taskId = newTaskId(context.options.randomBytes);
  let answer: Record<string, string>;
  if (route.answer === 'plaintext') {
    answer = { task_id: taskId };
  } else {
    // The verifier's key cache: each agent's key (and its X25519 form) is derived once, not per task.
    const publicKey = await context.verifier.publicKeyOf(agent.agentRuntimeId);
    if (publicKey === undefined) throw new HttpError(404, 'unknown_agent', `agent ${agentRuntimeId} is not registered`);
    const sealed = sealTaskId(taskId, publicKey, { randomBytes: context.options.randomBytes });
    answer = { encrypted_task_id: exchange.tamperSealedBox ? tamper(sealed) : sealed };
  }
  // the answer is made (sealed) before the task is saved: a key that cannot receive it leaves no task behind
  await context.registry.addTask({
    taskId,
    agentRuntimeId,
    createdAt: formatMillisTimestamp(context.options.now()),
    revokedAt: null,
  });
  context.counters.taskRegistered(route.profile);
  sendJson(exchange.response, 200, answer);
}
