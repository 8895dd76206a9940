import { AgentSigningKey, buildAgentAssertion } from '@agent-identity/crypto';
import { formatSecondsTimestamp } from '@agent-identity/protocol';
import { createFreshDatabase, type FreshDatabase } from '@agent-identity/postgres-server/fresh-database';
import { createAgentVerifier } from '@agent-identity/verifier';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CachedRegistry,
  MemoryRegistryStore,
  PostgresDatabase,
  SqlRegistryStore,
  type RegistryChange,
  type RegistryStore,
} from '../src/index.js';

const key = AgentSigningKey.generate();

function header(taskId: string): string {
  return buildAgentAssertion(key, { agentRuntimeId: 'agent-1', taskId, timestamp: formatSecondsTimestamp(Date.now()) });
}

async function register(store: RegistryStore, ...taskIds: string[]): Promise<void> {
  await store.addAgent({
    agentRuntimeId: 'agent-1',
    publicKey: key.sshPublicKey,
    accountId: 'account-1',
    userId: 'user-1',
    abom: {},
    capabilities: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    revokedAt: null,
  });
  for (const taskId of taskIds) {
    await store.addTask({ taskId, agentRuntimeId: 'agent-1', createdAt: '2026-01-01T00:00:00.000Z', revokedAt: null });
  }
}

/** Counts the store's reads, so a test can tell a cached answer from a fresh one. */
function countingReads(store: RegistryStore): { store: RegistryStore; reads: () => number } {
  let reads = 0;
  const counted = Object.create(store) as RegistryStore;
  counted.activePublicKey = (id) => {
    reads += 1;
    return store.activePublicKey(id);
  };
  counted.taskStatus = (agent, task) => {
    reads += 1;
    return store.taskStatus(agent, task);
  };
  counted.subscribe = (listener) => store.subscribe(listener);
  return { store: counted, reads: () => reads };
}

function heard(store: RegistryStore, kind: RegistryChange['kind']): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = store.subscribe((change) => {
      if (change.kind !== kind) return;
      unsubscribe();
      resolve();
    });
  });
}

describe('CachedRegistry', () => {
  it('answers a key and an active task from its cache after the first read', async () => {
    const memory = new MemoryRegistryStore();
    await register(memory, 'task_1');
    const { store, reads } = countingReads(memory);
    using registry = new CachedRegistry(store);
    const verifier = createAgentVerifier({ keys: registry, tasks: registry });
    expect((await verifier.verifyAssertion(header('task_1'))).ok).toBe(true);
    const afterFirst = reads();
    expect((await verifier.verifyAssertion(header('task_1'))).ok).toBe(true);
    expect(reads()).toBe(afterFirst);
  });

  it('asks again for an unknown task: another instance may register it next', async () => {
    const memory = new MemoryRegistryStore();
    await register(memory);
    using registry = new CachedRegistry(memory);
    expect(await registry.taskStatus('agent-1', 'task_later')).toBe('unknown');
    await memory.addTask({
      taskId: 'task_later',
      agentRuntimeId: 'agent-1',
      createdAt: '2026-01-01T00:00:00.000Z',
      revokedAt: null,
    });
    expect(await registry.taskStatus('agent-1', 'task_later')).toBe('active');
  });

  it('keeps at most maxEntries keys and statuses', async () => {
    const memory = new MemoryRegistryStore();
    await register(memory, 'task_1', 'task_2', 'task_3');
    using registry = new CachedRegistry(memory, { maxEntries: 2 });
    for (const taskId of ['task_1', 'task_2', 'task_3']) await registry.taskStatus('agent-1', taskId);
    await registry.publicKey('agent-1');
    expect(registry.size).toBe(3);
  });

  describe('a gateway verifying against the PostgreSQL registry', () => {
    let database: FreshDatabase | undefined;
    const stores: RegistryStore[] = [];

    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
      await database?.drop();
      database = undefined;
    });

    async function openStore(): Promise<RegistryStore> {
      if (database === undefined) throw new Error('no database');
      const store = await SqlRegistryStore.open(new PostgresDatabase(database.connection, { poolSize: 2 }));
      stores.push(store);
      return store;
    }

    it('refuses a task revoked on another instance once the notification arrives, its cache dropped', async () => {
      database = await createFreshDatabase(1);
      const backend = await openStore();
      const gateway = await openStore();
      await register(backend, 'task_1', 'task_2');
      using registry = new CachedRegistry(gateway);
      const verifier = createAgentVerifier({ keys: registry, tasks: registry });
      expect((await verifier.verifyAssertion(header('task_1'))).ok).toBe(true);
      expect((await verifier.verifyAssertion(header('task_2'))).ok).toBe(true);

      const revokedTask = heard(gateway, 'task_revoked');
      await backend.revokeTask('task_1', '2026-01-02T00:00:00.000Z');
      await revokedTask;
      expect(await verifier.verifyAssertion(header('task_1'))).toMatchObject({ ok: false, reason: 'task_invalid' });
      expect((await verifier.verifyAssertion(header('task_2'))).ok).toBe(true);

      const revokedAgent = heard(gateway, 'agent_revoked');
      await backend.revokeAgent('agent-1', '2026-01-02T00:00:00.000Z');
      await revokedAgent;
      expect(await verifier.verifyAssertion(header('task_2'))).toMatchObject({ ok: false, reason: 'unknown_agent' });
    });
  });
});
