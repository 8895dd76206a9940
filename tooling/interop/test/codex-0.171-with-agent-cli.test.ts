import { afterEach, describe, expect, it } from 'vitest';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { runAgentCliJson } from './support/agent-cli-process.js';
import { killRunningChildren } from './support/child-run.js';
import { CodexBed } from './support/codex-bed.js';
import { answered } from './support/codex-answer.js';

afterEach(async () => {
  killRunningChildren();
  await closeRuntimeBeds();
});

/** agent-cli speaking today's profile (`--profile codex-current`) to the bed's AuthAPI, on the bed's home. */
function currentAgentCli(bed: CodexBed, args: readonly string[]): Promise<Record<string, unknown>> {
  return runAgentCliJson([...args, '--profile', 'codex-current', '--authapi-url', bed.backend.authApiUrl], {
    home: bed.home,
    baseUrl: bed.backend.baseUrl,
  });
}

/** A thread started and one turn taken by agent-cli (today's profile): the turn's report. */
async function agentCliTurn(bed: CodexBed, message: string): Promise<Record<string, unknown>> {
  const thread = await currentAgentCli(bed, ['thread', 'start']);
  return currentAgentCli(bed, ['turn', String(thread.thread_id), message]);
}

describe('Codex CLI 0.171 and agent-cli --profile codex-current on one Codex home: one identity, one task', () => {
  it('agent-cli first, then Codex: Codex uses the identity and the task agent-cli registered', async () => {
    const bed = await CodexBed.open('0.171');
    const turn = await agentCliTurn(bed, 'hello from agent-cli');

    const codex = answered(await bed.exec('hello from codex'), 'hello from codex');

    expect(turn.agent_task).toMatchObject({ agent_runtime_id: codex.agent, task_id: codex.task });
    expect(bed.counters().registrationsByProfile).toEqual({
      'codex-0.122': { agents: 0, tasks: 0 },
      'codex-current': { agents: 1, tasks: 1 },
    });
  });

  it('Codex first, then agent-cli: agent-cli uses the identity and the task Codex registered', async () => {
    const bed = await CodexBed.open('0.171');
    const codex = answered(await bed.exec('hello from codex'), 'hello from codex');

    const turn = await agentCliTurn(bed, 'hello from agent-cli');

    expect(turn).toMatchObject({
      agent_task: { agent_runtime_id: codex.agent, task_id: codex.task },
      output_text: `echo: hello from agent-cli (agent ${codex.agent}, task ${codex.task})`,
      registrations_in_this_run: { identity: 0, task: 0 },
    });
    expect(bed.counters().registrationsByProfile).toEqual({
      'codex-0.122': { agents: 0, tasks: 0 },
      'codex-current': { agents: 1, tasks: 1 },
    });
  });
});
