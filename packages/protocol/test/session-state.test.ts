import { describe, expect, it } from 'vitest';
import { SessionAgentTask, SessionStatePayload, sessionAgentTaskEquals, sessionStateTask } from '../src/index.js';

const task = { agent_runtime_id: 'agent-123', task_id: 'task_123', registered_at: '2026-04-19T22:45:28Z' };

describe('sessionAgentTaskEquals', () => {
  it('compares the three fields structurally, ignoring extra keys', () => {
    expect(sessionAgentTaskEquals(task, { ...task })).toBe(true);
    expect(sessionAgentTaskEquals(task, { ...task, background_task_id: 'x' } as SessionAgentTask)).toBe(true);
  });

  it('is false when any of the three fields differs', () => {
    expect(sessionAgentTaskEquals(task, { ...task, agent_runtime_id: 'agent-456' })).toBe(false);
    expect(sessionAgentTaskEquals(task, { ...task, task_id: 'task_456' })).toBe(false);
    expect(sessionAgentTaskEquals(task, { ...task, registered_at: '2026-04-19T22:45:29Z' })).toBe(false);
  });

  it('is null-safe: absent equals absent, never a task', () => {
    expect(sessionAgentTaskEquals(null, null)).toBe(true);
    expect(sessionAgentTaskEquals(undefined, null)).toBe(true);
    expect(sessionAgentTaskEquals(task, null)).toBe(false);
    expect(sessionAgentTaskEquals(undefined, task)).toBe(false);
  });
});

describe('SessionAgentTask', () => {
  it('requires the three strings', () => {
    expect(SessionAgentTask.safeParse(task).success).toBe(true);
    expect(SessionAgentTask.safeParse({ ...task, task_id: undefined }).success).toBe(false);
    expect(SessionAgentTask.safeParse({ ...task, registered_at: 1_776_638_728 }).success).toBe(false);
  });

  it('reads registered_at in any form, as Rust does: a thread never loses its task over it', () => {
    expect(SessionAgentTask.parse({ ...task, registered_at: '2026-04-19T22:45:28.000Z' }).registered_at).toBe(
      '2026-04-19T22:45:28.000Z',
    );
    expect(SessionAgentTask.parse({ ...task, registered_at: '2026-04-19T22:45:28+00:00' }).registered_at).toBe(
      '2026-04-19T22:45:28+00:00',
    );
  });
});

describe('SessionStatePayload', () => {
  it('reads a task, null, or an absent agent_task (cleared)', () => {
    expect(sessionStateTask(SessionStatePayload.parse({ agent_task: task }))).toEqual(task);
    expect(sessionStateTask(SessionStatePayload.parse({ agent_task: null }))).toBeNull();
    expect(sessionStateTask(SessionStatePayload.parse({}))).toBeNull();
  });
});
