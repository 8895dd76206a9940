import { startReferenceBackend } from '@agent-identity/reference-backend';
import { describe, expect, it } from 'vitest';
import { ThreadReport } from '../src/json-reports.js';
import { cliTestBed } from './support/test-bed.js';
import { runCli, runCliJson, STACK_LINE } from './support/cli-process.js';
import { startNoAdminProxy } from './support/no-admin-proxy.js';

describe('agent-cli assert and verify', () => {
  it("assert prints a fresh AgentAssertion for the thread's task, and verify accepts it", async () => {
    await using bed = await cliTestBed();
    const { backend, flags } = bed;
    const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));

    const asserted = await runCli(['assert', thread.thread_id, ...flags]);
    const header = asserted.stdout.trim();
    const json = await runCliJson(['assert', thread.thread_id, ...flags]);
    const verified = await runCli(['verify', header, '--base-url', backend.baseUrl]);
    const verifiedJson = await runCliJson(['verify', header, '--base-url', backend.baseUrl]);

    expect(asserted.code).toBe(0);
    expect(header).toMatch(/^AgentAssertion [A-Za-z0-9_-]+$/);
    expect(json).toMatchObject({
      thread_id: thread.thread_id,
      agent_task: thread.agent_task,
      task_registered_in_this_run: false,
    });
    expect(await backend.admin.verify(header)).toMatchObject({
      ok: true,
      identity: { taskId: thread.agent_task?.task_id },
    });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(
      new RegExp(
        `^valid: agent ${thread.agent_task?.agent_runtime_id ?? '?'}, task ${thread.agent_task?.task_id ?? '?'}, signed at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n$`,
      ),
    );
    expect(verifiedJson).toMatchObject({
      ok: true,
      identity: { agentRuntimeId: thread.agent_task?.agent_runtime_id, taskId: thread.agent_task?.task_id },
    });
  });

  it('verify says why a header is invalid and exits 1', async () => {
    await using backend = await startReferenceBackend();

    const { code, stdout } = await runCli(['verify', 'AgentAssertion', 'not-a-token', '--base-url', backend.baseUrl]);

    expect(code).toBe(1);
    expect(stdout).toMatch(/^invalid: malformed — /);
  });

  it('verify against a backend without the admin API says it does not support it', async () => {
    await using backend = await startReferenceBackend();
    await using proxy = await startNoAdminProxy(backend.baseUrl);

    const { code, stderr } = await runCli(['verify', 'AgentAssertion abc', '--base-url', proxy.url]);

    expect(code).toBe(1);
    expect(stderr).toContain(`the backend at ${proxy.url} has no admin API (POST /_admin/verify answered 404)`);
    expect(stderr).not.toMatch(STACK_LINE);
  });
});
