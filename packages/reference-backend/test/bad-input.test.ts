import { request as httpRequest } from 'node:http';
import { AgentSigningKey } from '@agent-identity/crypto';
import { agentRegisterUrl, OPENAI_AUTHORIZATION_HEADER } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startReferenceBackend, type ReferenceBackend } from '../src/index.js';
import { mintBiscuit, registrationBody } from './protocol-client.js';
import { alice, errorOf } from './test-users.js';

async function postRegistration(
  backend: ReferenceBackend,
  body: string,
  contentType = 'application/json',
): Promise<Response> {
  const url = agentRegisterUrl(backend.baseUrl);
  const biscuit = await mintBiscuit(backend.baseUrl, alice.accessToken, 'POST', url);
  return fetch(url, {
    method: 'POST',
    headers: { [OPENAI_AUTHORIZATION_HEADER]: biscuit, 'content-type': contentType },
    body,
  });
}

/** A chunked request (no Content-Length), so the limit must be enforced while reading. */
function postChunked(
  url: string,
  headers: Record<string, string>,
  chunks: readonly string[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers }, (response) => {
      const received: Buffer[] = [];
      response.on('data', (chunk: Buffer) => received.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(received).toString('utf8') });
      });
    });
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

describe('bad input gets a 4xx JSON error', () => {
  it('415 unsupported_media_type for a body that is not application/json', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await postRegistration(
      backend,
      JSON.stringify(registrationBody(AgentSigningKey.generate())),
      'text/plain',
    );
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
  });

  it('accepts application/json with a charset parameter', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const body = JSON.stringify(registrationBody(AgentSigningKey.generate()));
    expect((await postRegistration(backend, body, 'application/json; charset=utf-8')).status).toBe(200);
  });

  it('400 invalid_json for a body that is not JSON', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await postRegistration(backend, '{"abom": ');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_json');
  });

  it('413 payload_too_large for a body over 64 KiB with Content-Length', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await postRegistration(backend, JSON.stringify({ padding: 'x'.repeat(MAX_BODY_BYTES) }));
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('payload_too_large');
  });

  it('413 payload_too_large for a chunked body that grows over 64 KiB', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const url = agentRegisterUrl(backend.baseUrl);
    const biscuit = await mintBiscuit(backend.baseUrl, alice.accessToken, 'POST', url);
    const chunk = 'x'.repeat(16 * 1024);
    const response = await postChunked(
      url,
      { [OPENAI_AUTHORIZATION_HEADER]: biscuit, 'content-type': 'application/json' },
      ['{"padding":"', chunk, chunk, chunk, chunk, chunk, '"}'],
    );
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it.each([
    ['a body that is an array', []],
    [
      'a body without agent_public_key',
      { abom: { agent_version: '1', agent_harness_id: 'h', running_location: 'cli-linux' }, capabilities: [] },
    ],
    [
      'a body whose abom lacks a field',
      { abom: { agent_version: '1' }, agent_public_key: 'ssh-ed25519 AAAA', capabilities: [] },
    ],
  ])('400 invalid_request for %s', async (_name, body) => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await postRegistration(backend, JSON.stringify(body));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_request');
  });

  it.each([
    ['another key type', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ'],
    ['a truncated ed25519 key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkU'],
  ])('400 invalid_request for a public key of %s, without echoing it', async (_name, key) => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const body = { ...(registrationBody(AgentSigningKey.generate()) as object), agent_public_key: key };
    const response = await postRegistration(backend, JSON.stringify(body));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_request');
    expect(error.message).not.toContain(key.split(' ')[1]);
    expect(await backend.admin.agents()).toEqual([]);
  });

  it('404 not_found for an unknown route', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await fetch(`${backend.baseUrl}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');
  });

  it('405 method_not_allowed with Allow for a wrong method', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await fetch(agentRegisterUrl(backend.baseUrl), { method: 'GET' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await errorOf(response)).code).toBe('method_not_allowed');
  });

  it('400 invalid_request for a path parameter that is not valid percent-encoding', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await fetch(`${backend.baseUrl}/v1/agent/%E0%A4%A/task/register`, { method: 'POST' });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_request');
  });

  it('keeps serving after a client drops its connection mid-body', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const url = agentRegisterUrl(backend.baseUrl);
    const biscuit = await mintBiscuit(backend.baseUrl, alice.accessToken, 'POST', url);
    await new Promise<void>((resolve) => {
      const request = httpRequest(url, {
        method: 'POST',
        headers: {
          [OPENAI_AUTHORIZATION_HEADER]: biscuit,
          'content-type': 'application/json',
          'content-length': '1000',
        },
      });
      request.on('error', () => {
        resolve();
      });
      request.write('{"abom":', () => {
        request.destroy();
      });
    });
    const response = await fetch(`${backend.baseUrl}/v1/nothing-here`);
    expect(response.status).toBe(404);
  });
});
