import { sessionStateLine, type RolloutLine, type SessionAgentTask } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { RolloutStore } from '../stores/rollout-store.js';

/** What a rollout store's conformance run needs: the store, a way to read a log back, cleanup. */
export interface RolloutStoreUnderTest {
  readonly store: RolloutStore;
  /** Every line of the thread's log, oldest first (the port has no read-all; stores do). */
  readonly readLines: (threadId: string) => Promise<RolloutLine[]>;
  readonly cleanup?: () => Promise<void>;
}

const EPOCH_MS = Date.UTC(2026, 3, 19, 22, 45, 29, 1);

function task(taskId: string): SessionAgentTask {
  return { agent_runtime_id: 'agent-123', task_id: taskId, registered_at: '2026-04-19T22:45:28Z' };
}

function stateLine(agentTask: SessionAgentTask | null): RolloutLine {
  return sessionStateLine(agentTask, EPOCH_MS);
}

function messageLine(text: string): RolloutLine {
  return {
    timestamp: '2026-04-19T22:45:30.000Z',
    type: 'response_item',
    payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  };
}

/**
 * The rules of the `RolloutStore` port (SPEC §2.1, §4.5), as a vitest suite. Every store runs
 * it: the file store, the memory store, and any later one (a database).
 */
export function describeRolloutStoreConformance(name: string, createStore: () => Promise<RolloutStoreUnderTest>): void {
  describe(`RolloutStore conformance: ${name}`, () => {
    let current: RolloutStoreUnderTest | undefined;

    async function setUp(): Promise<RolloutStoreUnderTest> {
      current = await createStore();
      return current;
    }

    afterEach(async () => {
      await current?.cleanup?.();
      current = undefined;
    });

    async function newestAfter(lines: readonly RolloutLine[]) {
      const { store } = await setUp();
      await store.createThread('thread-1');
      if (lines.length > 0) await store.append('thread-1', lines);
      return store.newestSessionState('thread-1');
    }

    it('createThread makes the thread exist, starting with its session_meta line', async () => {
      const { store, readLines } = await setUp();
      expect(await store.hasThread('thread-1')).toBe(false);
      await store.createThread('thread-1', { meta: { cwd: '/home/dev/project', originator: 'test' } });
      expect(await store.hasThread('thread-1')).toBe(true);
      expect(await store.hasThread('thread-2')).toBe(false);
      const lines = await readLines('thread-1');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        type: 'session_meta',
        payload: { id: 'thread-1', cwd: '/home/dev/project', originator: 'test' },
      });
    });

    it('the store sets session_meta id and timestamp; meta cannot override them', async () => {
      const { store, readLines } = await setUp();
      await store.createThread('thread-1', { meta: { id: 'other', timestamp: 'nope' } });
      const [meta] = await readLines('thread-1');
      expect(meta?.payload).toMatchObject({ id: 'thread-1' });
      expect((meta?.payload as { timestamp: string }).timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('a second createThread with the same id fails with THREAD_EXISTS', async () => {
      const { store } = await setUp();
      await store.createThread('thread-1');
      await expect(store.createThread('thread-1')).rejects.toMatchObject({ code: 'THREAD_EXISTS' });
    });

    it('ids that are not safe file-name parts are refused with THREAD_ID_INVALID', async () => {
      const { store } = await setUp();
      for (const threadId of ['', '../escape', 'a/b', 'a\\b', '.', 'x'.repeat(129)]) {
        await expect(store.createThread(threadId)).rejects.toMatchObject({ code: 'THREAD_ID_INVALID' });
        await expect(store.append(threadId, [])).rejects.toMatchObject({ code: 'THREAD_ID_INVALID' });
        await expect(store.hasThread(threadId)).rejects.toMatchObject({ code: 'THREAD_ID_INVALID' });
        await expect(store.newestSessionState(threadId)).rejects.toMatchObject({ code: 'THREAD_ID_INVALID' });
      }
      await expect(store.createThread('child', { forkedFrom: '../escape' })).rejects.toMatchObject({
        code: 'THREAD_ID_INVALID',
      });
    });

    it('append and newestSessionState on an unknown thread fail with THREAD_NOT_FOUND', async () => {
      const { store } = await setUp();
      await expect(store.append('missing', [stateLine(task('task_1'))])).rejects.toMatchObject({
        code: 'THREAD_NOT_FOUND',
      });
      await expect(store.newestSessionState('missing')).rejects.toMatchObject({
        code: 'THREAD_NOT_FOUND',
      });
    });

    it('appended lines read back unchanged, unknown fields and variants included', async () => {
      const { store, readLines } = await setUp();
      await store.createThread('thread-1');
      const lines: RolloutLine[] = [
        messageLine('hello'),
        stateLine(task('task_1')),
        { timestamp: '2026-04-19T23:12:07.000Z', type: 'a_variant_from_a_newer_version', payload: { x: [1] } },
        {
          timestamp: '2026-04-19T23:12:06.000Z',
          type: 'event_msg',
          payload: { type: 'task_complete', a_field_from_a_newer_version: { x: 1 } },
        },
      ];
      await store.append('thread-1', lines);
      await store.append('thread-1', []);
      expect((await readLines('thread-1')).slice(1)).toEqual(lines);
    });

    describe('newestSessionState', () => {
      it('no session_state line → not found', async () => {
        expect(await newestAfter([])).toEqual({ found: false });
        expect(await newestAfter([messageLine('hi')])).toEqual({ found: false });
      });

      it('[task] → task', async () => {
        expect(await newestAfter([stateLine(task('task_1'))])).toEqual({
          found: true,
          agentTask: task('task_1'),
        });
      });

      it('[task, null] → null (cleared)', async () => {
        expect(await newestAfter([stateLine(task('task_1')), stateLine(null)])).toEqual({
          found: true,
          agentTask: null,
        });
      });

      it('[task, null, task2] → task2', async () => {
        const lines = [stateLine(task('task_1')), stateLine(null), stateLine(task('task_2'))];
        expect(await newestAfter(lines)).toEqual({ found: true, agentTask: task('task_2') });
      });

      it('other lines after the newest state line do not hide it', async () => {
        const lines = [stateLine(task('task_1')), messageLine('a'), messageLine('b')];
        expect(await newestAfter(lines)).toEqual({ found: true, agentTask: task('task_1') });
      });

      it('a payload without agent_task reads as cleared', async () => {
        const cleared: RolloutLine = { timestamp: '2026-04-19T23:10:02.417Z', type: 'session_state', payload: {} };
        expect(await newestAfter([stateLine(task('task_1')), cleared])).toEqual({
          found: true,
          agentTask: null,
        });
      });

      it('sees lines appended in separate calls', async () => {
        const { store } = await setUp();
        await store.createThread('thread-1');
        await store.append('thread-1', [stateLine(task('task_1'))]);
        await store.append('thread-1', [messageLine('a')]);
        await store.append('thread-1', [stateLine(task('task_2'))]);
        expect(await store.newestSessionState('thread-1')).toEqual({
          found: true,
          agentTask: task('task_2'),
        });
      });
    });

    describe('fork', () => {
      it('copies the parent log except every session_state line; the fork has no task', async () => {
        const { store, readLines } = await setUp();
        await store.createThread('parent', { meta: { cwd: '/p' } });
        await store.append('parent', [
          messageLine('one'),
          stateLine(task('task_1')),
          messageLine('two'),
          stateLine(null),
          stateLine(task('task_2')),
        ]);
        await store.createThread('child', { forkedFrom: 'parent', meta: { cwd: '/c' } });

        expect(await store.newestSessionState('child')).toEqual({ found: false });
        const child = await readLines('child');
        expect(child[0]).toMatchObject({
          type: 'session_meta',
          payload: { id: 'child', forked_from_id: 'parent', cwd: '/c' },
        });
        const parent = await readLines('parent');
        expect(child.slice(1)).toEqual(parent.filter((line) => line.type !== 'session_state'));
        expect(child.some((line) => line.type === 'session_state')).toBe(false);
      });

      it('leaves the parent as it was', async () => {
        const { store, readLines } = await setUp();
        await store.createThread('parent');
        await store.append('parent', [stateLine(task('task_1'))]);
        const before = await readLines('parent');
        await store.createThread('child', { forkedFrom: 'parent' });
        await store.append('child', [stateLine(task('task_9'))]);
        expect(await readLines('parent')).toEqual(before);
        expect(await store.newestSessionState('parent')).toEqual({ found: true, agentTask: task('task_1') });
      });

      it('forking an unknown thread fails with THREAD_NOT_FOUND and creates nothing', async () => {
        const { store } = await setUp();
        await expect(store.createThread('child', { forkedFrom: 'missing' })).rejects.toMatchObject({
          code: 'THREAD_NOT_FOUND',
        });
        expect(await store.hasThread('child')).toBe(false);
      });
    });

    it('concurrent appends all land whole, each call’s lines together and in order', async () => {
      const { store, readLines } = await setUp();
      await store.createThread('thread-1');
      const calls = 40;
      await Promise.all(
        Array.from({ length: calls }, (_, call) =>
          store.append('thread-1', [
            messageLine(`call ${call} line 0 ${'x'.repeat(call * 97)}`),
            messageLine(`call ${call} line 1`),
            stateLine(task(`task_${call}`)),
          ]),
        ),
      );
      const lines = (await readLines('thread-1')).slice(1);
      expect(lines).toHaveLength(calls * 3);
      const seen = new Set<number>();
      for (let index = 0; index < lines.length; index += 3) {
        const first = JSON.stringify(lines[index]);
        const call = Number(/call (\d+) line 0/.exec(first)?.[1]);
        seen.add(call);
        expect(JSON.stringify(lines[index + 1])).toContain(`call ${call} line 1`);
        expect(lines[index + 2]).toEqual(stateLine(task(`task_${call}`)));
      }
      expect(seen.size).toBe(calls);
    });
  });
}
