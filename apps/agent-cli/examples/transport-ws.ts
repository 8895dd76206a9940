import { createAgentSocketPool, streamResponse } from '@agent-identity/transport-ws';
import { baseUrl, runtime } from './runtime.js';

const thread = await runtime.startThread();
// One pool per thread: a socket per auth context, the assertion in its handshake, rotated in time.
const pool = createAgentSocketPool(thread, {
  url: `${baseUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/v1/responses`,
});

const turn = await thread.beginTurn();
if (turn.ok) {
  const lease = await pool.checkout(turn.auth); // reuses, rotates or dials; heals a revoked task once
  for await (const event of streamResponse(lease.socket, { model: 'gpt-5', input: 'hello' })) {
    if (event.type === 'response.output_text.delta') process.stdout.write(event.delta);
  }
  lease.release();
}
await pool.close();
await runtime.close();
