import { describe, expect, it } from 'vitest';
import { AdminApiRegistry, startAgentGateway, type AgentGateway } from '@agent-identity/agent-gateway';
import { BackendAdminClient, DEMO_USER } from '@agent-identity/reference-backend';
import { ThreadReport, TurnReport } from '../src/json-reports.js';
import { runCli, runCliJson } from './support/cli-process.js';
import { cliTestBed, type CliTestBed } from './support/test-bed.js';

/** An agent-gateway in front of the bed's backend, on a clock the test moves forward. */
async function gatewayFor(bed: CliTestBed): Promise<{ gateway: AgentGateway; advance: (ms: number) => void }> {
  let offsetMs = 0;
  const now = (): number => Date.now() + offsetMs;
  const admin = new BackendAdminClient({ url: bed.backend.url });
  const gateway = await startAgentGateway({
    upstream: bed.backend.baseUrl,
    upstreamAuthorization: `Bearer ${DEMO_USER.accessToken}`,
    admin,
    registry: new AdminApiRegistry(admin, { now }),
    now,
  });
  return { gateway, advance: (ms) => (offsetMs += ms) };
}

describe('agent-cli through the agent-gateway', () => {
  it('turns over HTTP and WebSocket are verified at the gateway and answered through it', async () => {
    await using bed = await cliTestBed();
    const { gateway } = await gatewayFor(bed);
    await using _gateway = gateway;
    const flags = [...bed.flags, '--responses-url', gateway.url];
    const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));

    const http = TurnReport.parse(await runCliJson(['turn', thread.thread_id, 'over http', ...flags]));
    const ws = TurnReport.parse(await runCliJson(['turn', thread.thread_id, 'over ws', '--ws', ...flags]));

    expect([http.output_text, ws.output_text]).toEqual([
      `echo: over http (user ${DEMO_USER.userId})`,
      `echo: over ws (user ${DEMO_USER.userId})`,
    ]);
    expect([http.auth_scheme, ws.auth_scheme]).toEqual(['assertion', 'assertion']);
    expect(gateway.ledger.records().map(({ transport, taskId, verdict }) => [transport, taskId, verdict])).toEqual([
      ['http', thread.agent_task?.task_id, 'accepted'],
      ['ws', thread.agent_task?.task_id, 'accepted'],
    ]);
    expect(bed.backend.admin.requests().map(({ auth }) => auth)).toEqual(['bearer', 'bearer']);
  });

  it('a task revoked at the backend is refused at the gateway within 1 s, and the next turn recovers', async () => {
    await using bed = await cliTestBed();
    const { gateway, advance } = await gatewayFor(bed);
    await using _gateway = gateway;
    const flags = [...bed.flags, '--responses-url', gateway.url];
    const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));
    await runCliJson(['turn', thread.thread_id, 'before', ...flags]);
    const revoked = thread.agent_task?.task_id ?? '';

    await bed.backend.admin.revokeTask(revoked);
    advance(1_000);
    const turn = TurnReport.parse(await runCliJson(['turn', thread.thread_id, 'after', ...flags]));

    expect(turn.recovered_from?.task_id).toBe(revoked);
    expect(turn.agent_task?.task_id).not.toBe(revoked);
    expect(turn.output_text).toBe(`echo: after (user ${DEMO_USER.userId})`);
    expect(gateway.ledger.records().map(({ taskId, verdict }) => [taskId, verdict])).toEqual([
      [revoked, 'accepted'],
      [revoked, 'task_invalid'],
      [turn.agent_task?.task_id, 'accepted'],
    ]);
  });

  it('demo --gateway runs every step through a gateway and counts its refusal', async () => {
    const { code, stdout, stderr } = await runCli(['demo', '--gateway']);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/gateway {2}http:\/\/127\.0\.0\.1:\d+ \(agent-gateway in front of the model/);
    expect(stdout.match(/gateway verified thread [AB]'s/g)).toHaveLength(2);
    expect(stdout).toContain('401 task_invalid (at the gateway) → registered');
    expect(stdout).toContain('gateway totals: verified and forwarded 5 · refused 1 {"task_invalid":1}');
    expect(stdout).toContain("the demo's processes counted the same registrations and requests themselves");
    expect(stdout).toContain('All steps passed.');
  });
});
