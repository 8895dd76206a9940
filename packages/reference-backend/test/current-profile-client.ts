import { AgentSigningKey, buildAgentAssertion, openSealedTaskId } from '@agent-identity/crypto';
import {
  agentRegisterUrl,
  formatSecondsTimestamp,
  RegisterAgentResponse,
  taskRegisterUrl,
} from '@agent-identity/protocol';
import { registrationBody, taskRegistrationBody, type RegisteredAgent } from './protocol-client.js';

/**
 * A client of the current profile (CODEX-CURRENT.md) built from `protocol` and `crypto` with
 * plain `fetch`: bearer registration at the AuthAPI, unauthenticated signed task registration.
 */

/** The body a current Codex sends: `capabilities: ["responsesapi"]`, `ttl: null`. */
export function currentRegistrationBody(key: AgentSigningKey): unknown {
  return { ...(registrationBody(key) as object), capabilities: ['responsesapi'], ttl: null };
}

export function postAuthApiAgentRegistration(
  authApiUrl: string,
  authorization: string | undefined,
  body: unknown,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return fetch(agentRegisterUrl(authApiUrl), { method: 'POST', headers, body: JSON.stringify(body) });
}

/** `POST {authapi}/v1/agent/{id}/task/register` with no auth header, signed at `epochMs`. */
export function postAuthApiTaskRegistration(
  authApiUrl: string,
  key: AgentSigningKey,
  agentRuntimeId: string,
  epochMs = Date.now(),
): Promise<Response> {
  return fetch(taskRegisterUrl(authApiUrl, agentRuntimeId), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(taskRegistrationBody(key, agentRuntimeId, epochMs)),
  });
}

/** The task id of an AuthAPI answer: plaintext `task_id` wins, else the sealed one opened. */
export async function taskIdOf(response: Response, key: AgentSigningKey): Promise<string> {
  if (response.status !== 200) throw new Error(`task registration failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { task_id?: string; encrypted_task_id?: string };
  if (body.task_id !== undefined) return body.task_id;
  if (body.encrypted_task_id !== undefined) return openSealedTaskId(key, body.encrypted_task_id);
  throw new Error('task registration answer omitted the task id');
}

/** Registers an identity and its one task the way a current Codex does. */
export async function registerCurrentAgentWithTask(authApiUrl: string, accessToken: string): Promise<RegisteredAgent> {
  const key = AgentSigningKey.generate();
  const response = await postAuthApiAgentRegistration(
    authApiUrl,
    `Bearer ${accessToken}`,
    currentRegistrationBody(key),
  );
  if (response.status !== 200)
    throw new Error(`agent registration failed: ${response.status} ${await response.text()}`);
  const agentRuntimeId = RegisterAgentResponse.parse(await response.json()).agent_runtime_id;
  const taskId = await taskIdOf(await postAuthApiTaskRegistration(authApiUrl, key, agentRuntimeId), key);
  return {
    key,
    agentRuntimeId,
    taskId,
    assertion: (epochMs = Date.now()) =>
      buildAgentAssertion(key, { agentRuntimeId, taskId, timestamp: formatSecondsTimestamp(epochMs) }),
  };
}
