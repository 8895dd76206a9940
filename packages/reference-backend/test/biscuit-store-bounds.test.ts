import { agentRegisterUrl, biscuitUrl } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { BiscuitStore, MAX_BISCUIT_URL_BYTES } from '../src/biscuit-store.js';
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

  it('keeps the grants within the byte budget by dropping the oldest', () => {
    const store = new BiscuitStore({ maxGrants: 1_000_000, maxBytes: 64 * 1024 });
    const nowMs = 1_000;
    const randomBytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));
    const url = `http://127.0.0.1/v1/agent/register?${'a'.repeat(MAX_BISCUIT_URL_BYTES - 40)}`;
    const biscuits: string[] = [];
    for (let index = 0; index < 1_000; index += 1) {
      biscuits.push(store.mint({ method: 'POST', url, user: alice, expiresAtMs: nowMs + 60_000 }, randomBytes, nowMs));
      expect(store.bytes).toBeLessThanOrEqual(64 * 1024);
    }
    expect(store.size).toBeGreaterThan(0);
    expect(store.size).toBeLessThan(1_000);
    expect(() => store.redeem(biscuits[0], 'POST', url, nowMs)).toThrow(
      expect.objectContaining({ errorCode: 'invalid_biscuit' }),
    );
    expect(store.redeem(biscuits.at(-1), 'POST', url, nowMs)).toEqual(alice);
    const before = store.bytes;
    store.clear();
    expect(before).toBeGreaterThan(0);
    expect(store.bytes).toBe(0);
  });
});
