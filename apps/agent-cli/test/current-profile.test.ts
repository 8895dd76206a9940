import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThreadReport, TurnReport } from '../src/json-reports.js';
import { cliTestBed } from './support/test-bed.js';
import { runCli, runCliJson } from './support/cli-process.js';

describe('agent-cli --profile codex-current (CODEX-CURRENT)', () => {
  it('registers at the AuthAPI, keeps one task in auth.json for every thread and turn, and sends the account id beside the assertion', async () => {
    await using bed = await cliTestBed();
    const { backend } = bed;
    const flags = [...bed.flags, '--profile', 'codex-current', '--authapi-url', backend.authApiUrl];

    const first = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));
    const second = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));
    const http = TurnReport.parse(await runCliJson(['turn', first.thread_id, 'hello', ...flags]));
    const ws = TurnReport.parse(await runCliJson(['turn', second.thread_id, 'hello', '--ws', ...flags]));

    const record = (
      JSON.parse(await readFile(join(bed.home.path, 'auth.json'), 'utf8')) as {
        agent_identity: Record<string, unknown>;
      }
    ).agent_identity;
    expect(record).toMatchObject({
      task_id: first.agent_task?.task_id,
      account_id: expect.any(String) as unknown,
      workspace_id: record.account_id,
    });
    for (const report of [second, http, ws]) expect(report.agent_task?.task_id).toBe(first.agent_task?.task_id);
    expect(http).toMatchObject({ auth_scheme: 'assertion', registrations_in_this_run: { identity: 0, task: 0 } });
    expect(
      backend.admin.requests().map((request) => [request.transport, request.auth, request.accountIdHeader]),
    ).toEqual([
      ['http', 'agent_assertion', true],
      ['ws', 'agent_assertion', true],
    ]);
    expect(backend.admin.counters()).toMatchObject({
      biscuitsMinted: 0,
      registrationsByProfile: { 'codex-current': { agents: 1, tasks: 1 }, 'codex-0.122': { agents: 0, tasks: 0 } },
    });
    const rollout = await readFile(first.rollout_path, 'utf8');
    expect(rollout).not.toContain('"session_state"');
  });

  it('an unknown --profile is a usage error that names the two profiles', async () => {
    const { code, stderr } = await runCli(['thread', 'start', '--profile', 'codex-9']);
    expect(code).toBe(2);
    expect(stderr).toContain('--profile must be codex-0.122 or codex-current, got "codex-9"');
  });
});
