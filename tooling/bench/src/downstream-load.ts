import type { TurnAuth } from '@agent-identity/core';
import { responsesUrl } from '@agent-identity/protocol';
import type { ClientRuntime } from './client-runtime.js';
import type { RegisteringAgent } from './direct-task-registration.js';
import type { LoadClient } from './load-generator.js';

/** A registered agent and the auth of one of its turns: what the downstream load sends. */
export interface DownstreamTurn {
  readonly agent: RegisteringAgent;
  readonly auth: TurnAuth;
}

/** Registers `client`'s identity and begins a turn of a new thread, which must carry an assertion. */
export async function downstreamTurn(client: ClientRuntime): Promise<DownstreamTurn> {
  const agent = await client.runtime.ensureIdentity();
  if (agent === undefined) throw new Error('no identity');
  const turn = await (await client.runtime.startThread()).beginTurn();
  if (!turn.ok || turn.auth.scheme !== 'assertion') throw new Error('no task for the downstream load');
  return { agent, auth: turn.auth };
}

/**
 * One model request as a turn sends it — the turn's headers built per request (memoized per
 * second), as an adapter sends them — answered by a complete SSE stream. Resolves to whether it was.
 */
export function downstreamRequest(client: LoadClient, baseUrl: string, auth: TurnAuth): () => Promise<boolean> {
  const modelRequest = JSON.stringify({ model: 'bench', input: 'hello', stream: true });
  return async () => {
    const answer = await client.send(responsesUrl(baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth.headers() },
      body: modelRequest,
    });
    return answer.status === 200 && answer.body.includes('response.completed');
  };
}
