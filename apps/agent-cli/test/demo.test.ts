import { startReferenceBackend } from '@agent-identity/reference-backend';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE } from './support/cli-process.js';
import { closedPortUrl } from './support/closed-port.js';
import { startNoAdminProxy } from './support/no-admin-proxy.js';

const BACKEND_TOTALS =
  /backend totals: agent registrations (\d+) · task registrations (\d+) · downstream accepted (\d+) · refused (\d+) · biscuits (\d+)/;

describe('agent-cli demo', () => {
  it('runs the whole flow with no configuration and shows the zero-registration resume', async () => {
    const { code, stdout, stderr } = await runCli(['demo']);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('the reference backend, embedded in this process');
    expect(stdout.match(/thread resume <[AB]> --json {2}→ task task_\w+, registered in this run: no/g)).toHaveLength(2);
    expect(stdout).toMatch(/agent registrations 1 → 1, task registrations 2 → 2/);
    expect(stdout).toContain('zero registrations: both threads reused their tasks from their rollouts');
    expect(stdout).toContain('"payload":{"agent_task":null}');
    expect(stdout).toContain('All steps passed.');
  });

  it('prints the counters of the backend it ran against', async () => {
    await using backend = await startReferenceBackend();

    const { code, stdout } = await runCli(['demo', '--base-url', backend.baseUrl]);

    expect(code).toBe(0);
    expect(stdout).toContain('from --base-url');
    const printed = BACKEND_TOTALS.exec(stdout);
    expect(printed).not.toBeNull();
    const counters = backend.admin.counters();
    const downstream = [counters.downstream.http, counters.downstream.ws];
    const refused = downstream.flatMap((side) => Object.values(side.rejected)).reduce((sum, n) => sum + n, 0);
    expect(printed?.slice(1).map(Number)).toEqual([
      counters.agentRegistrations,
      counters.taskRegistrations,
      downstream.reduce((sum, side) => sum + side.accepted, 0),
      refused,
      counters.biscuitsMinted,
    ]);
    // one identity, two prewarmed tasks and the one that replaced the revoked task; the second
    // processes' resumes and turns registered nothing
    expect([counters.agentRegistrations, counters.taskRegistrations]).toEqual([1, 3]);
    expect(counters.downstream.http.rejected).toEqual({ task_invalid: 1 });
  });

  it('skips only the revocation against a backend without the admin API, and says so', async () => {
    await using backend = await startReferenceBackend();
    await using proxy = await startNoAdminProxy(backend.baseUrl);

    const { code, stdout, stderr } = await runCli([
      'demo',
      '--base-url',
      proxy.url,
      '--responses-url',
      backend.baseUrl,
      '--json',
    ]);

    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as {
      backend: { admin: boolean };
      steps: { title: string; skipped: string | null; task_registrations: number | null }[];
    };
    expect(summary.backend.admin).toBe(false);
    expect(summary.steps.map((step) => step.skipped === null)).toEqual([true, true, true, true, false]);
    expect(summary.steps[4]?.skipped).toContain('/_admin');
    expect(summary.steps[3]?.task_registrations).toBe(0);
    expect(stderr).toContain('skipped:');
    expect(stderr).toContain("the demo's own count (this backend has no admin API)");
    expect(backend.admin.counters().taskRegistrations).toBe(2);
  });

  it('names the step that failed and exits 1', async () => {
    await using backend = await startReferenceBackend();
    backend.admin.injectFault('task_register', { kind: 'status', status: 403 }, { times: 10 });

    const { code, stdout, stderr } = await runCli(['demo', '--base-url', backend.baseUrl]);

    expect(code).toBe(1);
    expect(stdout).toContain('[1/5] Identity registered');
    expect(stdout).not.toContain('All steps passed.');
    expect(stderr).toMatch(
      /^agent-cli: step 2 \(Two threads started, tasks prewarmed\) failed: thread [AB] has no task after its prewarm/m,
    );
    expect(stderr).toContain('agent task registration failed with status 403');
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('fails with a clear message and no stack when the backend is down', async () => {
    const down = await closedPortUrl();
    const { code, stderr } = await runCli(['demo', '--base-url', down]);

    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^agent-cli: cannot reach the backend at ${down}.*ECONNREFUSED`, 'm'));
    expect(stderr).not.toMatch(STACK_LINE);
  });
});
