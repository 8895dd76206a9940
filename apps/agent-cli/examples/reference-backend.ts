import { startReferenceBackend } from '@agent-identity/reference-backend';

// A real HTTP + WebSocket backend on 127.0.0.1 (a free port), for tests, benchmarks and samples.
await using backend = await startReferenceBackend({
  users: [{ accessToken: 'token-1', accountId: 'account-1', userId: 'user-1' }],
});
console.log(backend.baseUrl); // "http://127.0.0.1:53117": the client's backend base URL

// Its model endpoint streams Responses-style events; bearer auth works, AgentAssertion is the point.
const response = await fetch(backend.responsesUrl, {
  method: 'POST',
  headers: { authorization: 'Bearer token-1', 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-5', input: 'hello', stream: true }),
});
console.log((await response.text()).includes('echo: hello (user user-1)')); // true

backend.admin.injectFault('task_register', { kind: 'status', status: 503, retryAfterSeconds: 1 }); // the next one fails
console.log(backend.admin.counters().downstream.http.accepted); // 1
