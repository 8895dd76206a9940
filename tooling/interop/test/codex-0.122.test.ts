import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, closeRuntimeBeds } from '@agent-identity/test-bed';
import { killRunningChildren } from './support/child-run.js';
import { CodexBed } from './support/codex-bed.js';
import { answered, sessionOf } from './support/codex-answer.js';

afterEach(async () => {
  killRunningChildren();
  await closeRuntimeBeds();
});

describe('Codex CLI 0.122 against the reference backend', () => {
  it('(a) registers an identity and a task, and its turn is answered with the echo and no ERROR line', async () => {
    const bed = await CodexBed.open('0.122');

    const run = await bed.exec('say hello');

    const { agent, task } = answered(run, 'say hello');
    expect(bed.registrations()).toEqual({ agents: 1, tasks: 1, assertions: 1 });
    expect((await bed.backend.admin.agents()).map((record) => [record.agentRuntimeId, record.userId])).toEqual([
      [agent, ALICE.userId],
    ]);
    expect((await bed.backend.admin.tasks()).map((record) => record.taskId)).toEqual([task]);
    const authFile = JSON.parse(await readFile(join(bed.home, 'auth.json'), 'utf8')) as {
      agent_identity?: { agent_runtime_id?: string };
    };
    expect(authFile.agent_identity?.agent_runtime_id).toBe(agent);
  });

  it('(b) `codex exec resume` reuses the task its rollout holds: zero registrations', async () => {
    const bed = await CodexBed.open('0.122');
    const first = await bed.exec('first turn');
    const started = answered(first, 'first turn');
    const before = bed.registrations();

    const resumed = answered(await bed.resume(sessionOf(first), 'second turn'), 'second turn');

    expect(resumed).toEqual(started);
    expect(before).toEqual({ agents: 1, tasks: 1, assertions: 1 });
    expect(bed.registrations()).toEqual({ agents: 1, tasks: 1, assertions: 2 });
  });
});
