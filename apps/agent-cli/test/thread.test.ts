import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ThreadReport } from '../src/json-reports.js';
import { cliTestBed } from './support/test-bed.js';
import { runCli, runCliJson } from './support/cli-process.js';
import { loggedInHome } from './support/codex-home.js';

describe('agent-cli thread', () => {
  it('start prewarms the task, resume reuses it with zero registrations, list and show report it', async () => {
    await using bed = await cliTestBed();
    const { backend, home, flags } = bed;

    const started = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));
    const registrationsAfterStart = backend.admin.counters().taskRegistrations;
    const resumed = ThreadReport.parse(await runCliJson(['thread', 'resume', started.thread_id, ...flags]));
    const listed = z.array(ThreadReport).parse(await runCliJson(['thread', 'list', ...flags]));
    const shown = ThreadReport.parse(await runCliJson(['thread', 'show', started.thread_id, ...flags]));

    const task = started.agent_task;
    expect(task).not.toBeNull();
    expect(started).toMatchObject({
      task_registered_in_this_run: true,
      registrations_in_this_run: { identity: 1, task: 1 },
    });
    expect(started.rollout_path).toMatch(
      new RegExp(`^${home.path}/sessions/\\d{4}/\\d\\d/\\d\\d/rollout-.+-${started.thread_id}\\.jsonl$`),
    );
    const rollout = (await readFile(started.rollout_path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; payload: unknown });
    expect(rollout.map((line) => line.type)).toEqual(['session_meta', 'session_state']);
    expect(rollout[1]?.payload).toEqual({ agent_task: task });

    expect(resumed).toMatchObject({
      thread_id: started.thread_id,
      rollout_path: started.rollout_path,
      agent_task: task,
      restored_task: task,
      task_registered_in_this_run: false,
      registrations_in_this_run: { identity: 0, task: 0 },
    });
    expect(backend.admin.counters().taskRegistrations).toBe(registrationsAfterStart);

    expect(listed).toEqual([
      {
        thread_id: started.thread_id,
        rollout_path: started.rollout_path,
        agent_task: task,
        created_at: expect.any(String) as string,
      },
    ]);
    expect(shown).toEqual({
      thread_id: started.thread_id,
      rollout_path: started.rollout_path,
      agent_task: task,
      session_states: [{ timestamp: expect.any(String) as string, agent_task: task }],
    });
  });

  it('start prints the new thread id first in text mode', async () => {
    await using bed = await cliTestBed();

    const { code, stdout } = await runCli(['thread', 'start', ...bed.flags]);

    expect(code).toBe(0);
    const [id, taskLine] = stdout.split('\n');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(taskLine).toMatch(
      /^task task_\w+ \(agent agent-\w+, registered .+\) \(registered and prewarmed in this run\)$/,
    );
  });

  it('with --no-agent-identity registers nothing and writes no session_state line', async () => {
    await using bed = await cliTestBed();
    const { backend } = bed;

    const started = ThreadReport.parse(await runCliJson(['thread', 'start', ...bed.flags, '--no-agent-identity']));

    expect(started).toMatchObject({
      agent_task: null,
      task_registered_in_this_run: false,
      registrations_in_this_run: { identity: 0, task: 0 },
    });
    expect(await readFile(started.rollout_path, 'utf8')).not.toContain('session_state');
    expect(backend.admin.counters().biscuitsMinted).toBe(0);
  });

  it('list of an empty home says there are no threads', async () => {
    await using home = await loggedInHome();

    expect(await runCliJson(['thread', 'list', '--home', home.path])).toEqual([]);
    expect((await runCli(['thread', 'list', '--home', home.path])).stdout).toContain('no threads yet');
  });
});
