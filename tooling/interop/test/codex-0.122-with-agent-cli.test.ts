import { afterEach, describe, expect, it } from 'vitest';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { runAgentCliJson, runAgentCliSource } from './support/agent-cli-process.js';
import { killRunningChildren } from './support/child-run.js';
import { CodexBed } from './support/codex-bed.js';
import { answered, sessionOf } from './support/codex-answer.js';

afterEach(async () => {
  killRunningChildren();
  await closeRuntimeBeds();
});

describe('Codex CLI 0.122 and agent-cli on one Codex home', () => {
  it("(c) agent-cli resumes a thread Codex created, with Codex's task and zero registrations, and completes a turn", async () => {
    const bed = await CodexBed.open('0.122');
    const codexRun = await bed.exec('hello from codex');
    const codex = answered(codexRun, 'hello from codex');
    const threadId = sessionOf(codexRun);
    const place = { home: bed.home, baseUrl: bed.backend.baseUrl };

    const resumed = await runAgentCliJson(['thread', 'resume', threadId], place);
    const turn = await runAgentCliJson(['turn', threadId, 'hello from agent-cli'], place);

    expect(resumed).toMatchObject({
      thread_id: threadId,
      agent_task: { agent_runtime_id: codex.agent, task_id: codex.task },
      registrations_in_this_run: { identity: 0, task: 0 },
    });
    expect(turn).toMatchObject({
      auth_scheme: 'assertion',
      agent_task: { agent_runtime_id: codex.agent, task_id: codex.task },
      output_text: `echo: hello from agent-cli (agent ${codex.agent}, task ${codex.task})`,
      registrations_in_this_run: { identity: 0, task: 0 },
    });
    expect(bed.registrations()).toEqual({ agents: 1, tasks: 1, assertions: 2 });
  });

  it('(d) Codex completes a turn with the identity agent-cli registered: no second agent registration', async () => {
    const bed = await CodexBed.open('0.122');
    const identity = await runAgentCliJson(['identity', 'ensure'], { home: bed.home, baseUrl: bed.backend.baseUrl });
    expect(bed.registrations()).toEqual({ agents: 1, tasks: 0, assertions: 0 });

    const codex = answered(await bed.exec('hello with your identity'), 'hello with your identity');

    expect(codex.agent).toBe(identity.agent_runtime_id);
    expect(bed.registrations()).toEqual({ agents: 1, tasks: 1, assertions: 1 });
  });

  it('(e) a Codex rollout agent-cli appended to still resumes in Codex', async () => {
    const bed = await CodexBed.open('0.122');
    const codexRun = await bed.exec('first, in codex');
    const codex = answered(codexRun, 'first, in codex');
    const threadId = sessionOf(codexRun);
    await runAgentCliJson(['turn', threadId, 'second, in agent-cli'], { home: bed.home, baseUrl: bed.backend.baseUrl });

    const resumed = answered(await bed.resume(threadId, 'third, in codex again'), 'third, in codex again');

    expect(resumed).toEqual(codex);
    expect(bed.registrations()).toEqual({ agents: 1, tasks: 1, assertions: 3 });
  });

  it("the root README's Codex example resumes a thread Codex created, with Codex's task", async () => {
    const bed = await CodexBed.open('0.122');
    const codexRun = await bed.exec('hello from codex');
    const codex = answered(codexRun, 'hello from codex');

    const example = await runAgentCliSource('examples/codex-cli.ts', [sessionOf(codexRun)], {
      home: bed.home,
      baseUrl: bed.backend.baseUrl,
    });

    expect(example.stderr).toBe('');
    expect(example.code).toBe(0);
    expect(example.stdout).toBe(`${codex.task}\ntrue\n`);
    expect(bed.registrations()).toEqual({ agents: 1, tasks: 1, assertions: 1 });
  });
});
