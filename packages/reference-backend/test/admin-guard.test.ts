import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../src/index.js';
import { registerAgentWithTask } from './protocol-client.js';
import { alice } from './test-users.js';

/** A raw request, so that `Host` can be anything (fetch does not let a caller set it). */
function rawAdminCall(
  backend: ReferenceBackend,
  path: string,
  headers: Record<string, string>,
  method = 'POST',
): Promise<{ status: number; body: { error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const call = httpRequest({ host: '127.0.0.1', port: backend.port, path, method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as never,
        });
      });
    });
    call.on('error', reject);
    call.end();
  });
}

// Issue 11 item 5: a form POST from any page reset the backend, and DNS rebinding could read it.
describe('/_admin refuses foreign hosts, cross-site origins and, when it has one, callers without its token', () => {
  it('refuses a cross-site form POST (Origin of another site) with 403 and does not reset', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    const response = await fetch(`${backend.url}/_admin/reset`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('cross_site_request');
    expect(await backend.admin.agents()).toHaveLength(1);
  });

  it('refuses a request whose Sec-Fetch-Site says cross-site', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await rawAdminCall(backend, '/_admin/reset', {
      host: `127.0.0.1:${backend.port}`,
      'sec-fetch-site': 'cross-site',
    });
    expect(response).toMatchObject({ status: 403, body: { error: { code: 'cross_site_request' } } });
  });

  it('refuses a foreign Host (DNS rebinding) with 403 forbidden_host, reads included', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    const read = await rawAdminCall(backend, '/_admin/agents', { host: `rebind.evil.example:${backend.port}` }, 'GET');
    expect(read).toEqual({
      status: 403,
      body: { error: { code: 'forbidden_host', message: expect.any(String) as unknown } },
    });
    const reset = await rawAdminCall(backend, '/_admin/reset', { host: `rebind.evil.example:${backend.port}` });
    expect(reset.status).toBe(403);
    expect(await backend.admin.agents()).toHaveLength(1);
  });

  it('answers same-origin and origin-less calls under a loopback host name', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    for (const host of [`127.0.0.1:${backend.port}`, `localhost:${backend.port}`]) {
      expect((await rawAdminCall(backend, '/_admin/counters', { host }, 'GET')).status).toBe(200);
      expect((await rawAdminCall(backend, '/_admin/counters', { host, origin: `http://${host}` }, 'GET')).status).toBe(
        200,
      );
    }
  });

  it('requires the configured admin token as a bearer token', async () => {
    const adminToken = 'admin-token-for-this-test';
    await using backend = await startReferenceBackend({ users: [alice], adminToken });
    expect(backend.adminToken).toBe(adminToken);
    const without = await fetch(`${backend.url}/_admin/counters`);
    expect(without.status).toBe(401);
    expect(((await without.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'admin_token_required',
      message: 'the admin API needs Authorization: Bearer <admin token>',
    });
    const wrong = await fetch(`${backend.url}/_admin/counters`, {
      headers: { authorization: 'Bearer admin-token-for-this-tesT' },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${backend.url}/_admin/counters`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(right.status).toBe(200);
  });

  it('makes a random token when listening beyond loopback without one', async () => {
    await using backend = await startReferenceBackend({ users: [alice], host: '0.0.0.0' });
    expect(backend.adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const origin = `http://127.0.0.1:${backend.port}`;
    expect((await fetch(`${origin}/_admin/counters`)).status).toBe(401);
    const right = await fetch(`${origin}/_admin/counters`, {
      headers: { authorization: `Bearer ${backend.adminToken ?? ''}` },
    });
    expect(right.status).toBe(200);
  });

  it('has no token on loopback unless given one', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    expect(backend.adminToken).toBeUndefined();
  });
});
