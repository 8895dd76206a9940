import { describeRolloutStoreConformance } from '@agent-identity/core/testing/conformance';
import { describe, expect, it } from 'vitest';
import { MemoryRolloutStore } from '../src/memory-rollout-store.js';

describeRolloutStoreConformance('MemoryRolloutStore', () => {
  const store = new MemoryRolloutStore();
  return Promise.resolve({ store, readLines: (threadId) => Promise.resolve(store.lines(threadId)) });
});

describe('MemoryRolloutStore', () => {
  it('stores copies: changing an appended line afterwards changes nothing stored', async () => {
    const store = new MemoryRolloutStore({ now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 6) });
    await store.createThread('t');
    const line = { timestamp: 't', type: 'event_msg', payload: { type: 'x' } };
    await store.append('t', [line]);
    line.payload.type = 'changed';
    expect(store.lines('t')[1]).toEqual({ timestamp: 't', type: 'event_msg', payload: { type: 'x' } });
    expect(store.lines('t')[0]?.timestamp).toBe('2026-01-02T03:04:05.006Z');
    expect(store.threadIds()).toEqual(['t']);
  });
});
