import { randomBytes } from 'node:crypto';
import { openSealedTaskId, signTaskRegistration, type AgentSigningKey } from '@agent-identity/crypto';
import {
  BISCUIT_RESPONSE_HEADER,
  biscuitRequestId,
  biscuitUrl,
  formatSecondsTimestamp,
  OPENAI_AUTHORIZATION_HEADER,
  ORIGINAL_METHOD_HEADER,
  ORIGINAL_URL_HEADER,
  REQUEST_ID_HEADER,
  taskRegisterUrl,
} from '@agent-identity/protocol';
import { BackendProcess } from './backend-process.js';
import type { LoadClient } from './load-generator.js';

/** A registered agent: what signs its task registrations. */
export interface RegisteringAgent {
  readonly agentRuntimeId: string;
  readonly key: AgentSigningKey;
}

/**
 * One task registration as it goes over the wire (SPEC §3.2, §3.4), with no runtime around it: a
 * biscuit for the call, then the signed call; `openSealedId` also opens the answer, as a client
 * must (left out when only the backend's side is measured). Resolves to whether it succeeded.
 */
export function directTaskRegistration(
  client: LoadClient,
  baseUrl: string,
  agent: RegisteringAgent,
  options: { openSealedId: boolean },
): () => Promise<boolean> {
  const taskUrl = taskRegisterUrl(baseUrl, agent.agentRuntimeId);
  return async () => {
    const minted = await client.send(biscuitUrl(baseUrl), {
      method: 'GET',
      headers: {
        authorization: `Bearer ${BackendProcess.user.accessToken}`,
        [REQUEST_ID_HEADER]: biscuitRequestId(randomBytes(16)),
        [ORIGINAL_METHOD_HEADER]: 'POST',
        [ORIGINAL_URL_HEADER]: taskUrl,
      },
    });
    const biscuit = minted.headers[BISCUIT_RESPONSE_HEADER.toLowerCase()];
    if (minted.status !== 200 || typeof biscuit !== 'string') return false;
    const timestamp = formatSecondsTimestamp(Date.now());
    const registered = await client.send(taskUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [OPENAI_AUTHORIZATION_HEADER]: biscuit },
      body: JSON.stringify({ signature: signTaskRegistration(agent.key, agent.agentRuntimeId, timestamp), timestamp }),
    });
    if (registered.status !== 200) return false;
    if (options.openSealedId) {
      const { encrypted_task_id: sealed } = JSON.parse(registered.body.toString('utf8')) as {
        encrypted_task_id: string;
      };
      openSealedTaskId(agent.key, sealed);
    }
    return true;
  };
}
