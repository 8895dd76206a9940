import {
  DEFAULT_PLAN_TYPE,
  toUnionAgentIdentityRecord,
  UNKNOWN_REGISTERED_AT,
  type AgentIdentityRecord,
  type Codex0122AgentIdentityRecord,
  type CodexCurrentAgentIdentityRecord,
} from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { IdentityStore } from '../stores/identity-store.js';

/** What an identity store's conformance run needs: the store (empty) and its cleanup. */
export interface IdentityStoreUnderTest {
  readonly store: IdentityStore;
  readonly cleanup?: () => Promise<void>;
}

/** A Rust-written PKCS#8 v2 key (SPEC §3.7, seed 32×0x07). */
const PKCS8_V2 =
  'MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=';
const PKCS8_V1 = 'MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH';

/** A record as Codex 0.122 writes it (SPEC §2.2). */
function codex0122Record(overrides: Partial<Codex0122AgentIdentityRecord> = {}): Codex0122AgentIdentityRecord {
  return {
    workspace_id: 'account-123',
    chatgpt_user_id: 'user-123',
    agent_runtime_id: 'agent-123',
    agent_private_key: PKCS8_V2,
    registered_at: '2026-04-19T22:45:28Z',
    ...overrides,
  };
}

/** A record as a current Codex (0.169–0.171) writes it (CODEX-CURRENT). */
function codexCurrentRecord(): CodexCurrentAgentIdentityRecord {
  return {
    agent_runtime_id: 'agent-123',
    agent_private_key: PKCS8_V2,
    account_id: 'account-123',
    chatgpt_user_id: 'user-123',
    email: 'alice@example.com',
    plan_type: 'pro',
    chatgpt_account_is_fedramp: false,
    task_id: 'task-1',
  };
}

/** A record as a store gives it back: the union of both Codex field sets. */
function record(overrides: Partial<Codex0122AgentIdentityRecord> = {}): AgentIdentityRecord {
  return toUnionAgentIdentityRecord(codex0122Record(overrides));
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * The rules of the `IdentityStore` port (SPEC §2.2, §4.1) as a vitest suite. Every store runs it:
 * the file store, the memory store, and any later one (a database).
 */
export function describeIdentityStoreConformance(
  name: string,
  createStore: () => Promise<IdentityStoreUnderTest>,
): void {
  describe(`IdentityStore conformance: ${name}`, () => {
    let current: IdentityStoreUnderTest | undefined;

    async function setUp(): Promise<IdentityStore> {
      current = await createStore();
      return current.store;
    }

    afterEach(async () => {
      await current?.cleanup?.();
      current = undefined;
    });

    it('an empty store loads undefined', async () => {
      const store = await setUp();
      expect(await store.load()).toBeUndefined();
    });

    it('save then load gives the record back, unknown record keys included', async () => {
      const store = await setUp();
      const saved = { ...record(), background_task_id: 'bg-1', a_newer_field: { nested: [1, 2] } };
      await store.save(saved);
      expect(await store.load()).toEqual(saved);
    });

    it('an absent or null chatgpt_user_id (Codex 0.122) is stored as "" (a current Codex refuses null)', async () => {
      const store = await setUp();
      const { chatgpt_user_id: _, ...withoutUser } = codex0122Record();
      await store.save(withoutUser);
      expect((await store.load())?.chatgpt_user_id).toBe('');
      await store.save(codex0122Record({ chatgpt_user_id: null }));
      expect((await store.load())?.chatgpt_user_id).toBe('');
    });

    it('a Codex 0.122 record is saved as the union: account_id, email "", plan_type and FedRAMP added', async () => {
      const store = await setUp();
      await store.save({ ...codex0122Record(), background_task_id: 'bg-1' });
      expect(await store.load()).toEqual({
        ...codex0122Record(),
        background_task_id: 'bg-1',
        account_id: 'account-123',
        email: '',
        plan_type: DEFAULT_PLAN_TYPE,
        chatgpt_account_is_fedramp: false,
      });
    });

    it('a current Codex record is saved as the union: workspace_id and an unknown registered_at added, task_id kept', async () => {
      const store = await setUp();
      await store.save(codexCurrentRecord());
      expect(await store.load()).toEqual({
        ...codexCurrentRecord(),
        workspace_id: 'account-123',
        registered_at: UNKNOWN_REGISTERED_AT,
      });
    });

    it('save replaces the record in the slot', async () => {
      const store = await setUp();
      await store.save(record());
      await store.save(record({ agent_runtime_id: 'agent-456', agent_private_key: PKCS8_V1 }));
      expect(await store.load()).toEqual(record({ agent_runtime_id: 'agent-456', agent_private_key: PKCS8_V1 }));
    });

    it('changing a loaded or saved object does not change the stored record', async () => {
      const store = await setUp();
      const saved = record();
      await store.save(saved);
      saved.agent_runtime_id = 'changed-after-save';
      const loaded = await store.load();
      if (loaded !== undefined) loaded.workspace_id = 'changed-after-load';
      expect(await store.load()).toEqual(record());
    });

    describe('delete (compare-and-delete)', () => {
      it('deletes the record it is given and resolves true', async () => {
        const store = await setUp();
        await store.save(record());
        expect(await store.delete(record())).toBe(true);
        expect(await store.load()).toBeUndefined();
      });

      it('matches on runtime id and key only', async () => {
        const store = await setUp();
        await store.save({ ...record(), background_task_id: 'bg-1' });
        expect(
          await store.delete(codex0122Record({ workspace_id: 'other', registered_at: '2026-01-01T00:00:00Z' })),
        ).toBe(true);
        expect(await store.load()).toBeUndefined();
      });

      it('a stale expected record (other runtime id) → false, slot untouched', async () => {
        const store = await setUp();
        const stored = { ...record({ agent_runtime_id: 'agent-new' }), background_task_id: 'bg-1' };
        await store.save(stored);
        expect(await store.delete(record())).toBe(false);
        expect(await store.load()).toEqual(stored);
      });

      it('same runtime id but another key → false, slot untouched', async () => {
        const store = await setUp();
        await store.save(record());
        expect(await store.delete(record({ agent_private_key: PKCS8_V1 }))).toBe(false);
        expect(await store.load()).toEqual(record());
      });

      it('an empty slot → false', async () => {
        const store = await setUp();
        expect(await store.delete(record())).toBe(false);
        expect(await store.load()).toBeUndefined();
      });
    });

    describe('withExclusiveLock', () => {
      it('resolves to what fn resolves to', async () => {
        const store = await setUp();
        expect(await store.withExclusiveLock(() => Promise.resolve(42))).toBe(42);
      });

      it('concurrent sections never overlap', async () => {
        const store = await setUp();
        let inside = 0;
        let mostInside = 0;
        await Promise.all(
          Array.from({ length: 12 }, () =>
            store.withExclusiveLock(async () => {
              inside += 1;
              mostInside = Math.max(mostInside, inside);
              await pause();
              inside -= 1;
            }),
          ),
        );
        expect(mostInside).toBe(1);
      });

      it('read-modify-write sections under the lock lose no update', async () => {
        const store = await setUp();
        await store.save({ ...record(), counter: 0 });
        await Promise.all(
          Array.from({ length: 12 }, () =>
            store.withExclusiveLock(async () => {
              const loaded = await store.load();
              await pause();
              await store.save({ ...record(), counter: Number(loaded?.counter) + 1 });
            }),
          ),
        );
        expect((await store.load())?.counter).toBe(12);
      });

      it('is reentrant: save, delete and nested sections inside fn do not wait for fn', async () => {
        const store = await setUp();
        const result = await store.withExclusiveLock(async () => {
          await store.save(record());
          const nested = await store.withExclusiveLock(() => store.load());
          const deleted = await store.delete(record());
          return { nested, deleted };
        });
        expect(result).toEqual({ nested: record(), deleted: true });
        expect(await store.load()).toBeUndefined();
      });

      it('work that outlives its section (not awaited by fn) does not inherit the lock', async () => {
        const store = await setUp();
        const order: string[] = [];
        let openGate = (): void => undefined;
        const gate = new Promise<void>((resolve) => {
          openGate = resolve;
        });
        let detached: Promise<void> = Promise.resolve();
        await store.withExclusiveLock(() => {
          detached = (async () => {
            await gate;
            await store.withExclusiveLock(() => Promise.resolve(order.push('detached')));
          })();
          return Promise.resolve();
        });
        await store.withExclusiveLock(async () => {
          order.push('next start');
          openGate();
          await pause();
          await pause();
          order.push('next end');
        });
        await detached;
        expect(order).toEqual(['next start', 'next end', 'detached']);
      });

      it('a section that throws releases the lock and passes its error on', async () => {
        const store = await setUp();
        const failure = new Error('section failed');
        await expect(store.withExclusiveLock(() => Promise.reject(failure))).rejects.toBe(failure);
        expect(await store.withExclusiveLock(() => Promise.resolve('next'))).toBe('next');
      });
    });
  });
}
