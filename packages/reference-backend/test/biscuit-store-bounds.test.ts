import { agentRegisterUrl, biscuitUrl } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { MAX_BISCUIT_URL_BYTES } from '@agent-identity/registry';
import { startReferenceBackend } from '../src/index.js';
import { biscuitHeaders } from './protocol-client.js';
import { alice, errorOf } from './test-users.js';

// Issue 11 item 4: 100 000 × 16 KB X-Original-Url grew the heap to 1.5 GB; the store is bounded by bytes now.
describe('the outstanding biscuits are bounded by bytes', () => {
  it('refuses an X-Original-Url longer than MAX_BISCUIT_URL_BYTES with 400 invalid_request and mints nothing', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const longUrl = `${agentRegisterUrl(backend.baseUrl)}?pad=${'a'.repeat(12 * 1024)}`;
    const response = await fetch(biscuitUrl(backend.baseUrl), {
      headers: biscuitHeaders(alice.accessToken, 'POST', longUrl),
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      code: 'invalid_request',
      message: `X-Original-Url must be at most ${MAX_BISCUIT_URL_BYTES} bytes`,
    });
    expect(backend.admin.counters().biscuitsMinted).toBe(0);

    const atTheCap = `${agentRegisterUrl(backend.baseUrl)}?pad=`;
    const fitting = `${atTheCap}${'a'.repeat(MAX_BISCUIT_URL_BYTES - atTheCap.length)}`;
    const accepted = await fetch(biscuitUrl(backend.baseUrl), {
      headers: biscuitHeaders(alice.accessToken, 'POST', fitting),
    });
    expect(accepted.status).toBe(200);
  });
});
