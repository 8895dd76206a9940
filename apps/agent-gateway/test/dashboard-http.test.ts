import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { GatewayBed } from './support/gateway-bed.js';

afterEach(() => closeRuntimeBeds());

/** A raw request, so that `Host` and `Origin` can be anything a browser or an attacker would send. */
function send(url: string, method: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${url}${path}`, { method, headers }, (answer) => {
      answer.resume();
      resolve(answer.statusCode ?? 0);
    });
    outgoing.on('error', reject);
    outgoing.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('the dashboard over HTTP', () => {
  it('refuses a revocation from another origin, a form post, and a foreign Host; the task stays active', async () => {
    const bed = await GatewayBed.open();
    const thread = await bed.runtime().startThread();
    await thread.prewarmed;
    const taskId = thread.task?.taskId ?? '';
    const path = `/_gateway/tasks/${taskId}/revoke`;
    const host = new URL(bed.gateway.url).host;

    const answers = await Promise.all([
      send(bed.gateway.url, 'POST', path, { 'content-type': 'application/json', origin: 'http://evil.example' }),
      send(bed.gateway.url, 'POST', path, { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }),
      send(bed.gateway.url, 'POST', path, {
        'content-type': 'application/x-www-form-urlencoded',
        origin: `http://${host}`,
      }),
      send(bed.gateway.url, 'GET', '/_gateway/', { host: 'rebound.example' }),
    ]);

    expect(answers).toEqual([403, 403, 403, 403]);
    expect((await bed.backend.admin.tasks()).find((task) => task.taskId === taskId)?.revokedAt).toBeNull();
    const accepted = await send(bed.gateway.url, 'POST', path, {
      'content-type': 'application/json',
      origin: `http://${host}`,
    });
    expect(accepted).toBe(200);
    expect((await bed.backend.admin.tasks()).find((task) => task.taskId === taskId)?.revokedAt).toEqual(
      expect.any(String),
    );
  });

  it('shows what a refused assertion claimed as text, never as markup', async () => {
    const bed = await GatewayBed.open();
    const claimed = {
      agent_runtime_id: '<img src=x onerror=alert(1)>',
      signature: Buffer.alloc(64).toString('base64'),
      task_id: '<script>alert(2)</script>',
      timestamp: new Date().toISOString().slice(0, 19) + 'Z',
    };
    const header = `AgentAssertion ${Buffer.from(JSON.stringify(claimed)).toString('base64url')}`;
    await fetch(`${bed.gateway.url}/v1/responses`, { method: 'POST', headers: { authorization: header } });

    const panel = await (await fetch(`${bed.gateway.url}/_gateway/panel`)).text();

    expect(bed.gateway.ledger.records()[0]?.taskId).toBe(claimed.task_id);
    expect(panel).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(panel).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(panel).not.toContain('<script>');
    expect(panel).not.toContain('<img');
  });

  it('GET /_gateway/requests lists the ledger and the totals as JSON', async () => {
    const bed = await GatewayBed.open();
    await fetch(`${bed.gateway.url}/v1/responses`, { method: 'POST' });

    const body = await (await fetch(`${bed.gateway.url}/_gateway/requests`)).json();

    expect(body).toEqual({
      requests: [expect.objectContaining({ verdict: 'missing_authorization', status: 401 })],
      totals: { accepted: 0, refused: { missing_authorization: 1 } },
    });
  });
});
