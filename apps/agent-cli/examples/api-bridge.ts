import { Writable } from 'node:stream';
import { createAgentFetch, recoveryErrorOf } from '@agent-identity/api-bridge';
import { baseUrl, runtime } from './runtime.js';

const thread = await runtime.startThread();
const turn = await thread.beginTurn();
if (!turn.ok) throw new Error(turn.event.message); // the task could not be registered: end the turn

// fetch with a fresh Authorization per request; a 401 for a revoked or forgotten task/agent re-registers
// and retries once (a skewed clock, corrected from the answer's Date, too).
const agentFetch = createAgentFetch(thread, { turn: turn.auth });
const response = await agentFetch(`${baseUrl.replace(/\/+$/, '')}/v1/responses`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' }, // Authorization is added for you
  body: JSON.stringify({ model: 'gpt-5', input: 'hello', stream: true }),
});
if (response.status === 401) console.error(recoveryErrorOf(response)?.message);
await response.body?.pipeTo(Writable.toWeb(process.stdout), { preventClose: true }); // SSE, as it arrives
await runtime.close();
