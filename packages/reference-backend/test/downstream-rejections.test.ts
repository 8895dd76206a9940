import { AgentSigningKey, buildAgentAssertion } from '@agent-identity/crypto';
import { DownstreamErrorBody, formatSecondsTimestamp } from '@agent-identity/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../src/index.js';
import {
  connectWebSocket,
  postResponses,
  registerAgentWithTask,
  registerTask,
  type RegisteredAgent,
} from './protocol-client.js';
import { alice } from './test-users.js';

// The backend's clock stands still, so headers can be placed exactly relative to it.
const clockMs = Date.now();

let backend: ReferenceBackend;
let agent: RegisteredAgent;
let revokedTaskId: string;

beforeAll(async () => {
  backend = await startReferenceBackend({ users: [alice], now: () => clockMs });
  agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
  revokedTaskId = await registerTask(backend.baseUrl, alice.accessToken, agent.key, agent.agentRuntimeId);
  await backend.admin.revokeTask(revokedTaskId);
});

afterAll(async () => {
  await backend.close();
});

function assertionFor(claims: {
  agentRuntimeId?: string;
  taskId?: string;
  offsetSeconds?: number;
  key?: AgentSigningKey;
}): string {
  return buildAgentAssertion(claims.key ?? agent.key, {
    agentRuntimeId: claims.agentRuntimeId ?? agent.agentRuntimeId,
    taskId: claims.taskId ?? agent.taskId,
    timestamp: formatSecondsTimestamp(clockMs + (claims.offsetSeconds ?? 0) * 1000),
  });
}

const cases: [string, () => string | undefined][] = [
  ['missing_authorization', () => undefined],
  ['malformed_assertion', () => 'AgentAssertion not+base64url'],
  ['unknown_agent', () => assertionFor({ agentRuntimeId: 'agent-never-registered', key: AgentSigningKey.generate() })],
  ['unknown_task', () => assertionFor({ taskId: 'task_never_registered' })],
  ['task_invalid', () => assertionFor({ taskId: revokedTaskId })],
  ['bad_signature', () => assertionFor({ key: AgentSigningKey.generate() })],
  ['expired', () => assertionFor({ offsetSeconds: -301 })],
  ['from_future', () => assertionFor({ offsetSeconds: 301 })],
  ['invalid_token', () => 'Bearer token-mallory'],
];

describe('downstream rejections over HTTP', () => {
  it.each(cases)('401 %s', async (code, authorization) => {
    const response = await postResponses(backend.responsesUrl, authorization(), 'hello');
    expect(response.status).toBe(401);
    const body = DownstreamErrorBody.parse(await response.json());
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toBe('');
  });

  it('401 invalid_token for an unknown scheme', async () => {
    const response = await postResponses(backend.responsesUrl, 'Basic dG9rZW4tYWxpY2U=', 'hello');
    expect(DownstreamErrorBody.parse(await response.json()).error.code).toBe('invalid_token');
  });

  it('accepts a header exactly 300 s old and one 300 s ahead', async () => {
    for (const offsetSeconds of [-300, 300]) {
      const response = await postResponses(backend.responsesUrl, assertionFor({ offsetSeconds }), 'edge');
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
  });

  it('never echoes the refused token or assertion', async () => {
    const forged = assertionFor({ key: AgentSigningKey.generate() });
    const response = await postResponses(backend.responsesUrl, forged, 'hello');
    expect(await response.text()).not.toContain(forged.split(' ')[1]);
  });
});

describe('downstream rejections at the WebSocket handshake', () => {
  it.each(cases)('HTTP 401 %s before the upgrade, with the JSON error body', async (code, authorization) => {
    const outcome = await connectWebSocket(backend.websocketUrl, authorization());
    if (outcome.kind !== 'refused') throw new Error(`expected a refused handshake, got ${outcome.kind}`);
    expect(outcome.status).toBe(401);
    expect(outcome.headers['content-type']).toBe('application/json');
    expect(DownstreamErrorBody.parse(JSON.parse(outcome.body)).error.code).toBe(code);
    // a Date, like every HTTP answer: a skewed client learns the server's clock from it
    expect(Math.abs(Date.parse(String(outcome.headers.date)) - Date.now())).toBeLessThan(60_000);
  });
});

describe('rejection counters', () => {
  it('count each refused request by reason and transport', () => {
    const { http, ws } = backend.admin.counters().downstream;
    for (const [code] of cases) {
      expect(http.rejected[code as keyof typeof http.rejected]).toBeGreaterThanOrEqual(1);
      expect(ws.rejected[code as keyof typeof ws.rejected]).toBe(1);
    }
    expect(ws.accepted).toBe(0);
  });
});
