import { describe, expect, it } from 'vitest';
import { MemoryAuthSource } from '../src/stores/memory-auth-source.js';

const login = { mode: 'chatgpt', accessToken: 'at', accountId: 'account-1', userId: 'user-1' } as const;

describe('MemoryAuthSource', () => {
  it('returns the login it holds; undefined when logged out', async () => {
    const source = new MemoryAuthSource();
    expect(await source.currentLogin()).toBeUndefined();
    source.set(login);
    expect(await source.currentLogin()).toEqual(login);
    source.set(undefined);
    expect(await source.currentLogin()).toBeUndefined();
  });

  it('set wakes every waiter, and a waiter then reads the new login', async () => {
    const source = new MemoryAuthSource();
    const controller = new AbortController();
    const waits = [source.waitForChange(controller.signal), source.waitForChange(controller.signal)];
    expect(source.waiterCount).toBe(2);
    source.set(login);
    await Promise.all(waits);
    expect(source.waiterCount).toBe(0);
    expect(await source.currentLogin()).toEqual(login);
  });

  it('abort rejects with the signal reason and removes the waiter', async () => {
    const source = new MemoryAuthSource();
    const controller = new AbortController();
    const wait = source.waitForChange(controller.signal);
    const reason = new Error('stopped');
    controller.abort(reason);
    await expect(wait).rejects.toBe(reason);
    expect(source.waiterCount).toBe(0);
  });

  it('an already-aborted signal rejects at once without registering a waiter', async () => {
    const source = new MemoryAuthSource();
    await expect(source.waitForChange(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(source.waiterCount).toBe(0);
  });
});
