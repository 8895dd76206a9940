import { describe, expect, it } from 'vitest';
import { MAX_BISCUIT_URL_BYTES, MemoryRegistryStore } from '../src/index.js';

// Issue 11 item 4: 100 000 × 16 KB X-Original-Url grew the heap to 1.5 GB; the memory store is bounded by bytes.
describe('the memory store bounds its outstanding biscuits', () => {
  it('keeps the grants within the byte budget by dropping the oldest', async () => {
    const store = new MemoryRegistryStore({ maxGrants: 1_000_000, maxBytes: 64 * 1024 });
    const nowMs = 1_000;
    const url = `http://127.0.0.1/v1/agent/register?${'a'.repeat(MAX_BISCUIT_URL_BYTES - 40)}`;
    const grant = { method: 'POST', url, accountId: 'account-1', userId: 'user-1', expiresAtMs: nowMs + 60_000 };
    for (let index = 0; index < 1_000; index += 1) {
      await store.saveBiscuit(`biscuit-${index}`, grant, nowMs);
      expect(store.biscuitBytes).toBeLessThanOrEqual(64 * 1024);
    }
    expect(await store.takeBiscuit('biscuit-0')).toBeUndefined();
    expect(await store.takeBiscuit('biscuit-999')).toEqual(grant);
    await store.clear();
    expect(store.biscuitBytes).toBe(0);
  });

  it('keeps at most maxGrants, the oldest dropped first', async () => {
    const store = new MemoryRegistryStore({ maxGrants: 3, maxBytes: 1024 * 1024 });
    const grant = { method: 'POST', url: 'http://127.0.0.1/x', accountId: 'a', userId: 'u', expiresAtMs: 60_000 };
    for (const biscuit of ['b1', 'b2', 'b3', 'b4']) await store.saveBiscuit(biscuit, grant, 0);
    expect(await store.takeBiscuit('b1')).toBeUndefined();
    expect(await store.takeBiscuit('b4')).toEqual(grant);
  });
});
