import OpenAI from 'openai';
import { createAgentFetch } from '@agent-identity/api-bridge';
import { baseUrl, runtime } from './runtime.js';

const thread = await runtime.startThread();
const turn = await thread.beginTurn();
if (!turn.ok) throw new Error(turn.event.message);

// The official SDK sends through the thread's fetch: its own `Authorization: Bearer …` is replaced by
// a fresh AgentAssertion per request, and a revoked task is re-registered and the request retried once.
const client = new OpenAI({
  apiKey: 'not-sent', // the SDK requires one; createAgentFetch replaces it
  baseURL: `${baseUrl.replace(/\/+$/, '')}/v1`,
  fetch: createAgentFetch(thread, { turn: turn.auth }),
});

const stream = await client.responses.create({ model: 'gpt-5', input: 'hello', stream: true });
for await (const event of stream) {
  if (event.type === 'response.output_text.delta') process.stdout.write(event.delta); // echo: hello (agent …, task …)
}
await runtime.close();
