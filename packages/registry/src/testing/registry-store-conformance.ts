import { afterEach, describe, expect, it } from 'vitest';
import type { AgentRecord, BiscuitGrant, RegistryChange, TaskRecord } from '../records.js';
import type { RegistryStore } from '../registry-store.js';

/** A store to test, and how to reach the same registry the way another backend instance would. */
export interface RegistryStoreUnderTest {
  store: RegistryStore;
  /** A second store on the same registry (another instance); default: `store` itself. */
  openPeer?: () => Promise<RegistryStore>;
  cleanup?: () => Promise<void>;
}

function agent(id: string, overrides: Partial<AgentRecord> = {}): AgentRecord {
  return {
    agentRuntimeId: id,
    publicKey: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA${id}`,
    accountId: 'account-1',
    userId: 'user-1',
    abom: { agent_version: '1.0.0', nested: { kinds: ['a', 'b'], count: 2 } },
    capabilities: ['responses'],
    createdAt: '2026-01-02T03:04:05.678Z',
    revokedAt: null,
    ...overrides,
  };
}

function task(taskId: string, agentRuntimeId: string): TaskRecord {
  return { taskId, agentRuntimeId, createdAt: '2026-01-02T03:04:06.000Z', revokedAt: null };
}

function grant(expiresAtMs = 10_000): BiscuitGrant {
  return {
    method: 'POST',
    url: 'http://127.0.0.1:1/v1/agent/register',
    accountId: 'account-1',
    userId: 'user-1',
    expiresAtMs,
  };
}

function nextChange(store: RegistryStore, matches: (change: RegistryChange) => boolean): Promise<RegistryChange> {
  return new Promise((resolve) => {
    const unsubscribe = store.subscribe((change) => {
      if (!matches(change)) return;
      unsubscribe();
      resolve(change);
    });
  });
}

/** The store one test runs on, the peers it opened, and their teardown. */
class RegistryStoreFixture {
  readonly #createStore: () => Promise<RegistryStoreUnderTest>;
  #current: RegistryStoreUnderTest | undefined;
  readonly #peers: RegistryStore[] = [];

  constructor(createStore: () => Promise<RegistryStoreUnderTest>) {
    this.#createStore = createStore;
  }

  async open(): Promise<RegistryStore> {
    this.#current = await this.#createStore();
    return this.#current.store;
  }

  /** Another instance on the same registry, where the store has one; else `store` itself. */
  async peerOf(store: RegistryStore): Promise<RegistryStore> {
    if (this.#current?.openPeer === undefined) return store;
    const peer = await this.#current.openPeer();
    this.#peers.push(peer);
    return peer;
  }

  async close(): Promise<void> {
    for (const peer of this.#peers.splice(0)) await peer.close();
    await this.#current?.store.close();
    await this.#current?.cleanup?.();
    this.#current = undefined;
  }
}

/**
 * The behaviour every `RegistryStore` shares (memory, PGlite, PostgreSQL). `createStore` gives a
 * store on an empty registry.
 */
export function describeRegistryStoreConformance(
  name: string,
  createStore: () => Promise<RegistryStoreUnderTest>,
): void {
  describe(`RegistryStore conformance: ${name}`, () => {
    const fixture = new RegistryStoreFixture(createStore);
    const setUp = (): Promise<RegistryStore> => fixture.open();
    const peerOf = (store: RegistryStore): Promise<RegistryStore> => fixture.peerOf(store);
    afterEach(() => fixture.close());

    it('an empty registry knows no agent, task or biscuit', async () => {
      const store = await setUp();
      expect(await store.agents()).toEqual([]);
      expect(await store.tasks()).toEqual([]);
      expect(await store.agent('agent-1')).toBeUndefined();
      expect(await store.activePublicKey('agent-1')).toBeUndefined();
      expect(await store.taskStatus('agent-1', 'task_1')).toBe('unknown');
      expect(await store.takeBiscuit('biscuit')).toBeUndefined();
    });

    it('an agent reads back exactly as stored, on another instance too', async () => {
      const store = await setUp();
      const stored = agent('agent-1');
      await store.addAgent(stored);
      expect(await store.agent('agent-1')).toEqual(stored);
      expect(await (await peerOf(store)).agent('agent-1')).toEqual(stored);
      expect(await store.activePublicKey('agent-1')).toBe(stored.publicKey);
    });

    it('lists agents and tasks in registration order', async () => {
      const store = await setUp();
      for (const id of ['agent-c', 'agent-a', 'agent-b']) await store.addAgent(agent(id));
      await store.addTask(task('task_z', 'agent-a'));
      await store.addTask(task('task_y', 'agent-c'));
      expect((await store.agents()).map((a) => a.agentRuntimeId)).toEqual(['agent-c', 'agent-a', 'agent-b']);
      expect(await store.tasks()).toEqual([task('task_z', 'agent-a'), task('task_y', 'agent-c')]);
    });

    it('refuses a repeated agent or task id with REGISTRY_DUPLICATE_ID and keeps the first record', async () => {
      const store = await setUp();
      await store.addAgent(agent('agent-1'));
      await expect(store.addAgent(agent('agent-1', { userId: 'user-2' }))).rejects.toMatchObject({
        code: 'REGISTRY_DUPLICATE_ID',
      });
      expect((await store.agent('agent-1'))?.userId).toBe('user-1');
      await store.addTask(task('task_1', 'agent-1'));
      await expect(store.addTask(task('task_1', 'agent-1'))).rejects.toMatchObject({ code: 'REGISTRY_DUPLICATE_ID' });
      expect(await store.tasks()).toHaveLength(1);
    });

    it('a task is active for its agent and unknown to another agent', async () => {
      const store = await setUp();
      await store.addAgent(agent('agent-1'));
      await store.addAgent(agent('agent-2'));
      await store.addTask(task('task_1', 'agent-1'));
      expect(await store.taskStatus('agent-1', 'task_1')).toBe('active');
      expect(await store.taskStatus('agent-2', 'task_1')).toBe('unknown');
    });

    it('revoking a task marks it revoked, keeps the first time, and tells every instance', async () => {
      const store = await setUp();
      const peer = await peerOf(store);
      await store.addAgent(agent('agent-1'));
      await store.addTask(task('task_1', 'agent-1'));
      const heard = nextChange(peer, (change) => change.kind === 'task_revoked');
      const revoked = await store.revokeTask('task_1', '2026-01-03T00:00:00.000Z');
      expect(revoked).toEqual({ ...task('task_1', 'agent-1'), revokedAt: '2026-01-03T00:00:00.000Z' });
      expect(await heard).toEqual({ kind: 'task_revoked', agentRuntimeId: 'agent-1', taskId: 'task_1' });
      expect(await peer.taskStatus('agent-1', 'task_1')).toBe('revoked');
      const again = await store.revokeTask('task_1', '2026-01-04T00:00:00.000Z');
      expect(again?.revokedAt).toBe('2026-01-03T00:00:00.000Z');
      expect(await store.revokeTask('task_unknown', '2026-01-03T00:00:00.000Z')).toBeUndefined();
    });

    it('revoking an agent withdraws its key, keeps the first time, and tells every instance', async () => {
      const store = await setUp();
      const peer = await peerOf(store);
      await store.addAgent(agent('agent-1'));
      const heard = nextChange(peer, (change) => change.kind === 'agent_revoked');
      const revoked = await store.revokeAgent('agent-1', '2026-01-03T00:00:00.000Z');
      expect(revoked?.revokedAt).toBe('2026-01-03T00:00:00.000Z');
      expect(await heard).toEqual({ kind: 'agent_revoked', agentRuntimeId: 'agent-1' });
      expect(await peer.activePublicKey('agent-1')).toBeUndefined();
      expect((await store.revokeAgent('agent-1', '2026-01-04T00:00:00.000Z'))?.revokedAt).toBe(
        '2026-01-03T00:00:00.000Z',
      );
      expect(await store.revokeAgent('agent-unknown', '2026-01-03T00:00:00.000Z')).toBeUndefined();
    });

    it('a biscuit is taken once: the grant comes back, then never again', async () => {
      const store = await setUp();
      await store.saveBiscuit('biscuit-1', grant(), 0);
      expect(await store.takeBiscuit('biscuit-1')).toEqual(grant());
      expect(await store.takeBiscuit('biscuit-1')).toBeUndefined();
    });

    it('of concurrent takes of one biscuit on two instances, exactly one gets the grant', async () => {
      const store = await setUp();
      const peer = await peerOf(store);
      const biscuits = Array.from({ length: 20 }, (_, index) => `biscuit-${index}`);
      for (const biscuit of biscuits) await store.saveBiscuit(biscuit, grant(), 0);
      const taken = await Promise.all(
        biscuits.flatMap((biscuit) => [store.takeBiscuit(biscuit), peer.takeBiscuit(biscuit)]),
      );
      expect(taken.filter((result) => result !== undefined)).toHaveLength(biscuits.length);
    });

    it('saving a biscuit drops the grants already expired', async () => {
      const store = await setUp();
      await store.saveBiscuit('old', grant(1_000), 0);
      await store.saveBiscuit('new', grant(70_000), 2_000);
      expect(await store.takeBiscuit('old')).toBeUndefined();
      expect(await store.takeBiscuit('new')).toEqual(grant(70_000));
    });

    it('clear forgets everything and tells every instance to reset', async () => {
      const store = await setUp();
      const peer = await peerOf(store);
      await store.addAgent(agent('agent-1'));
      await store.addTask(task('task_1', 'agent-1'));
      await store.saveBiscuit('biscuit-1', grant(), 0);
      const heard = nextChange(peer, (change) => change.kind === 'reset');
      await store.clear();
      expect(await heard).toEqual({ kind: 'reset' });
      expect(await store.agents()).toEqual([]);
      expect(await store.tasks()).toEqual([]);
      expect(await store.takeBiscuit('biscuit-1')).toBeUndefined();
    });

    it('records handed out are copies', async () => {
      const store = await setUp();
      await store.addAgent(agent('agent-1'));
      const first = await store.agent('agent-1');
      if (first === undefined) throw new Error('the agent was not stored');
      first.capabilities.push('changed');
      (first.abom.nested as { count: number }).count = 99;
      expect(await store.agent('agent-1')).toEqual(agent('agent-1'));
    });

    it('an unsubscribed listener hears nothing more', async () => {
      const store = await setUp();
      await store.addAgent(agent('agent-1'));
      await store.addAgent(agent('agent-2'));
      const heardByStayer: RegistryChange[] = [];
      const heardByLeaver: RegistryChange[] = [];
      const stayer = nextChange(
        store,
        (change) => change.kind === 'agent_revoked' && change.agentRuntimeId === 'agent-2',
      );
      store.subscribe((change) => heardByStayer.push(change));
      store.subscribe((change) => heardByLeaver.push(change))();
      await store.revokeAgent('agent-1', '2026-01-03T00:00:00.000Z');
      await store.revokeAgent('agent-2', '2026-01-03T00:00:00.000Z');
      await stayer;
      expect(heardByStayer.map((change) => change.kind)).toEqual(['agent_revoked', 'agent_revoked']);
      expect(heardByLeaver).toEqual([]);
    });
  });
}
