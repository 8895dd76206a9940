import { openSealedTaskId, signTaskRegistration, type AgentSigningKey } from '@agent-identity/crypto';
import { formatSecondsTimestamp, OPENAI_AUTHORIZATION_HEADER, taskRegisterUrl } from '@agent-identity/protocol';
import { mintLoadBiscuit } from './load-biscuit.js';
import type { HttpAnswer, LoadClient } from './load-generator.js';

/** A registered agent: what signs its task registrations. */
export interface RegisteringAgent {
  readonly agentRuntimeId: string;
  readonly key: AgentSigningKey;
}

/** A biscuit for the call, then the signed call (SPEC §3.2, §3.4); `undefined` when either failed. */
async function sendTaskRegistration(
  client: LoadClient,
  taskUrl: string,
  baseUrl: string,
  agent: RegisteringAgent,
): Promise<HttpAnswer | undefined> {
  const biscuit = await mintLoadBiscuit(client, baseUrl, taskUrl);
  if (biscuit === undefined) return undefined;
  const timestamp = formatSecondsTimestamp(Date.now());
  const registered = await client.send(taskUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [OPENAI_AUTHORIZATION_HEADER]: biscuit },
    body: JSON.stringify({ signature: signTaskRegistration(agent.key, agent.agentRuntimeId, timestamp), timestamp }),
  });
  return registered.status === 200 ? registered : undefined;
}

function openTaskId(agent: RegisteringAgent, answer: HttpAnswer): string {
  const { encrypted_task_id: sealed } = JSON.parse(answer.body.toString('utf8')) as { encrypted_task_id: string };
  return openSealedTaskId(agent.key, sealed);
}

/**
 * One task registration as it goes over the wire, with no runtime around it; `openSealedId` also
 * opens the answer, as a client must (left out when only the backend's side is measured).
 * Resolves to whether it succeeded.
 */
export function directTaskRegistration(
  client: LoadClient,
  baseUrl: string,
  agent: RegisteringAgent,
  options: { openSealedId: boolean },
): () => Promise<boolean> {
  const taskUrl = taskRegisterUrl(baseUrl, agent.agentRuntimeId);
  return async () => {
    const registered = await sendTaskRegistration(client, taskUrl, baseUrl, agent);
    if (registered === undefined) return false;
    if (options.openSealedId) openTaskId(agent, registered);
    return true;
  };
}

/** Registers one task for `agent` and resolves to its id (opened from the sealed answer). */
export async function registerTaskId(client: LoadClient, baseUrl: string, agent: RegisteringAgent): Promise<string> {
  const registered = await sendTaskRegistration(client, taskRegisterUrl(baseUrl, agent.agentRuntimeId), baseUrl, agent);
  if (registered === undefined) throw new Error('task registration failed');
  return openTaskId(agent, registered);
}
