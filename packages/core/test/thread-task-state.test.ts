import { isSessionStateLine } from '@agent-identity/protocol';
import { describe, expect, it, vi } from 'vitest';
import { MemoryRolloutStore } from '../src/stores/memory-rollout-store.js';
import { agentTaskOfWire, wireAgentTask, type AgentTask } from '../src/thread/agent-task.js';
import { ThreadTaskState } from '../src/thread/thread-task-state.js';
import { CapturingLogger } from '../src/testing/capturing-logger.js';

const NOW_MS = Date.UTC(2026, 3, 19, 22, 45, 29, 1);
const taskA: AgentTask = { agentRuntimeId: 'agent-1', taskId: 'task-a', registeredAt: '2026-04-19T22:45:28Z' };
const taskB: AgentTask = { agentRuntimeId: 'agent-1', taskId: 'task-b', registeredAt: '2026-04-19T22:46:00Z' };
const matchesAll = () => Promise.resolve(true);
const matchesNone = () => Promise.resolve(false);

async function stateWithLog(options: { ephemeral?: boolean } = {}) {
  const store = new MemoryRolloutStore();
  await store.createThread('thread-1');
  const logger = new CapturingLogger();
  const state = new ThreadTaskState({
    threadId: 'thread-1',
    append: options.ephemeral === true ? undefined : (lines) => store.append('thread-1', lines),
    now: () => NOW_MS,
    logger,
  });
  const stateLines = () =>
    store
      .lines('thread-1')
      .filter(isSessionStateLine)
      .map((line) => agentTaskOfWire(line.payload.agent_task));
  return { state, store, logger, stateLines };
}

describe('ThreadTaskState write table (SPEC §4.3)', () => {
  it('a new task → its line; the same task again → no line; a different task → its line', async () => {
    const { state, stateLines, store } = await stateWithLog();
    await state.cache(taskA);
    await state.cache({ ...taskA });
    expect(stateLines()).toEqual([taskA]);
    await state.cache(taskB);
    expect(stateLines()).toEqual([taskA, taskB]);
    expect(state.task).toEqual(taskB);
    expect(store.lines('thread-1').at(-1)).toEqual({
      timestamp: '2026-04-19T22:45:29.001Z',
      type: 'session_state',
      payload: {
        agent_task: { agent_runtime_id: 'agent-1', task_id: 'task-b', registered_at: '2026-04-19T22:46:00Z' },
      },
    });
  });

  it('invalidateTask clears and writes null only for the cached task', async () => {
    const { state, stateLines } = await stateWithLog();
    expect(await state.invalidateTask(taskA)).toBe(false);
    await state.cache(taskA);
    expect(await state.invalidateTask(taskB)).toBe(false);
    expect(state.task).toEqual(taskA);
    expect(await state.invalidateTask({ ...taskA })).toBe(true);
    expect(await state.invalidateTask(taskA)).toBe(false);
    expect(state.task).toBeUndefined();
    expect(stateLines()).toEqual([taskA, null]);
  });

  it('cachedTaskForCurrentIdentity: none → none; matching → it, no line; stale → cleared with one null line', async () => {
    const { state, stateLines } = await stateWithLog();
    const matches = vi.fn(matchesAll);
    expect(await state.cachedTaskForCurrentIdentity(matches)).toBeUndefined();
    expect(matches).not.toHaveBeenCalled();

    await state.cache(taskA);
    expect(await state.cachedTaskForCurrentIdentity(matches)).toEqual(taskA);
    expect(stateLines()).toEqual([taskA]);

    expect(await state.cachedTaskForCurrentIdentity(matchesNone)).toBeUndefined();
    expect(await state.cachedTaskForCurrentIdentity(matchesNone)).toBeUndefined();
    expect(state.task).toBeUndefined();
    expect(stateLines()).toEqual([taskA, null]);
  });

  it('lines land in the order the state changed, even when nobody awaits', async () => {
    const { state, stateLines } = await stateWithLog();
    await Promise.all([state.cache(taskA), state.invalidateTask(taskA), state.cache(taskB)]);
    expect(stateLines()).toEqual([taskA, null, taskB]);
  });

  it('a failed append is logged, not thrown: the task stays cached', async () => {
    const logger = new CapturingLogger();
    const store = new MemoryRolloutStore();
    const state = new ThreadTaskState({
      threadId: 'gone',
      append: (lines) => store.append('gone', lines),
      now: () => NOW_MS,
      logger,
    });
    await state.cache(taskA);
    expect(state.task).toEqual(taskA);
    expect(logger.at('warn').map((line) => line.message)).toEqual([
      'agent identity: could not record the task in the rollout',
    ]);
  });

  it('an ephemeral thread keeps its task in memory and writes nothing', async () => {
    const { state, stateLines } = await stateWithLog({ ephemeral: true });
    await state.cache(taskA);
    expect(await state.cachedTaskForCurrentIdentity(matchesNone)).toBeUndefined();
    await state.cache(taskB);
    expect(state.task).toEqual(taskB);
    expect(stateLines()).toEqual([]);
  });
});

describe('ThreadTaskState.restore (SPEC §4.5 step 1)', () => {
  it('no state line leaves the task as it is', async () => {
    const { state, stateLines } = await stateWithLog();
    await state.cache(taskA);
    await state.restore({ found: false }, matchesNone);
    expect(state.task).toEqual(taskA);
    expect(stateLines()).toEqual([taskA]);
  });

  it('null clears; a matching task is kept; a task of another runtime is cleared — never writing', async () => {
    const { state, stateLines } = await stateWithLog();
    await state.restore({ found: true, agentTask: wireAgentTask(taskA) }, matchesAll);
    expect(state.task).toEqual(taskA);
    await state.restore({ found: true, agentTask: null }, matchesAll);
    expect(state.task).toBeUndefined();
    await state.restore({ found: true, agentTask: wireAgentTask(taskB) }, matchesNone);
    expect(state.task).toBeUndefined();
    expect(stateLines()).toEqual([]);
  });
});

describe('ThreadTaskState.onChange', () => {
  it('tells listeners about changes only, until they unsubscribe; a throwing listener is logged', async () => {
    const { state, logger } = await stateWithLog();
    const seen: (AgentTask | undefined)[] = [];
    const unsubscribe = state.onChange((task) => seen.push(task));
    state.onChange(() => {
      throw new Error('listener bug');
    });
    await state.cache(taskA);
    await state.cache(taskA);
    await state.invalidateTask(taskA);
    unsubscribe();
    await state.cache(taskB);
    expect(seen).toEqual([taskA, undefined]);
    expect(logger.at('error')).toHaveLength(3);
  });
});
