import { isSessionStateLine, type AgentIdentityRecord } from '@agent-identity/protocol';
import { agentTaskOfWire, type AgentTask } from '../../src/thread/agent-task.js';
import { MemoryIdentityStore } from '../../src/stores/memory-identity-store.js';
import { MemoryRolloutStore } from '../../src/stores/memory-rollout-store.js';
import type { Harness } from './harness.js';

/** The task of every `session_state` line of a thread in the harness's memory rollout store. */
export function stateLines(harness: Harness, threadId: string): (AgentTask | null)[] {
  if (!(harness.rolloutStore instanceof MemoryRolloutStore)) throw new Error('the harness has no memory rollout store');
  return harness.rolloutStore
    .lines(threadId)
    .filter(isSessionStateLine)
    .map((line) => agentTaskOfWire(line.payload.agent_task));
}

/**
 * A second identity registered at the backend for the harness's current login, on a store of its
 * own: saving it into the harness's store models another process rotating the identity.
 */
export async function registerAnotherIdentity(harness: Harness): Promise<AgentIdentityRecord> {
  const store = new MemoryIdentityStore();
  await harness.runtime({ identityStore: store }).ensureIdentity();
  const record = await store.load();
  if (record === undefined) throw new Error('no identity was registered');
  return record;
}
