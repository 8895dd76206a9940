import { describe, expect, it } from 'vitest';
import { startReferenceBackend } from '../src/index.js';
import { postResponses, registerAgentWithTask } from './protocol-client.js';
import { alice } from './test-users.js';

const PATHS_UNDER_BACKEND_API = [
  '/api/accounts/v1/agent/register',
  '/api/accounts/v1/agent/{agentRuntimeId}/task/register',
  '/backend-api/wham/agent-identities/jwks',
  '/backend-api/wham/settings/user',
  '/backend-api/wham/accounts/check',
  '/backend-api/authenticate_app_v2',
  '/backend-api/v1/agent/register',
  '/backend-api/v1/agent/{agentRuntimeId}/task/register',
  '/backend-api/v1/responses',
  '/_admin/agents',
  '/_admin/agents/{agentRuntimeId}/revoke',
  '/_admin/tasks',
  '/_admin/tasks/{taskId}/revoke',
  '/_admin/requests',
  '/_admin/counters',
  '/_admin/websockets',
  '/_admin/verify',
  '/_admin/faults',
  '/_admin/ws-max-age',
  '/_admin/identity-jwts',
  '/_admin/codex-logins',
  '/_admin/task-id-answer',
  '/_admin/reset',
];

describe('routes are exact (SPEC §3.8)', () => {
  it('the identity and model endpoints answer under the configured prefix', async () => {
    await using backend = await startReferenceBackend({ users: [alice], pathPrefix: '/backend-api' });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    expect((await postResponses(`${backend.url}/backend-api/v1/responses`, agent.assertion(), 'hi')).status).toBe(200);
  });

  it.each([
    ['the model endpoint without the prefix', '/v1/responses'],
    ['the model endpoint under a base URL with an extra /v1', '/backend-api/v1/v1/responses'],
    ['the model endpoint under another prefix', '/backend-api/codex/v1/responses'],
    ['an identity endpoint without the prefix', '/v1/agent/register'],
    ['the admin API under the prefix', '/backend-api/_admin/counters'],
    ['a path with a trailing slash', '/backend-api/v1/responses/'],
  ])('%s is a 404 whose JSON names the paths that exist', async (_name, path) => {
    await using backend = await startReferenceBackend({ users: [alice], pathPrefix: '/backend-api' });
    const response = await fetch(`${backend.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string; paths: string[] } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.paths).toEqual(PATHS_UNDER_BACKEND_API);
    expect(body.error.message).toBe(
      `no route for ${path}; the paths that exist: ${PATHS_UNDER_BACKEND_API.join(', ')}`,
    );
  });

  it('without a prefix the identity and model endpoints sit at the root', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await fetch(`${backend.url}/backend-api/v1/responses`, { method: 'POST' });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { paths: string[] } };
    expect(body.error.paths.filter((path) => !path.startsWith('/_admin/'))).toEqual([
      '/api/accounts/v1/agent/register',
      '/api/accounts/v1/agent/{agentRuntimeId}/task/register',
      '/agent-identities/jwks',
      '/wham/settings/user',
      '/wham/accounts/check',
      '/authenticate_app_v2',
      '/v1/agent/register',
      '/v1/agent/{agentRuntimeId}/task/register',
      '/v1/responses',
    ]);
  });
});
