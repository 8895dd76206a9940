import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ThreadReport, TurnReport } from '../src/json-reports.js';
import { cliTestBed } from './support/test-bed.js';
import { runCli, runCliJson } from './support/cli-process.js';

interface Line {
  type: string;
  payload: { type?: string; role?: string; message?: string; content?: { text: string }[]; agent_task?: unknown };
}

async function rolloutLines(path: string): Promise<Line[]> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
}

describe('agent-cli turn', () => {
  it('over HTTP: the answer is signed with the thread task, and the rollout gets the Codex-shaped lines', async () => {
    await using bed = await cliTestBed();
    const { backend, flags } = bed;
    const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));

    const turn = TurnReport.parse(await runCliJson(['turn', thread.thread_id, 'hello over http', ...flags]));

    const task = thread.agent_task;
    expect(turn).toMatchObject({
      thread_id: thread.thread_id,
      transport: 'http',
      auth_scheme: 'assertion',
      agent_task: task,
      task_registered_in_this_run: false,
      registrations_in_this_run: { identity: 0, task: 0 },
      recovered_from: null,
      rollout_path: thread.rollout_path,
    });
    expect(turn.output_text).toBe(
      `echo: hello over http (agent ${task?.agent_runtime_id ?? ''}, task ${task?.task_id ?? ''})`,
    );
    expect(backend.admin.requests().at(-1)).toMatchObject({
      transport: 'http',
      auth: 'agent_assertion',
      taskId: task?.task_id,
      accountIdHeader: false,
    });

    const lines = await rolloutLines(thread.rollout_path);
    expect(lines.slice(2).map((line) => [line.type, line.payload.type, line.payload.role])).toEqual([
      ['response_item', 'message', 'user'],
      ['event_msg', 'user_message', undefined],
      ['response_item', 'message', 'assistant'],
      ['event_msg', 'agent_message', undefined],
    ]);
    expect(lines[3]?.payload.message).toBe('hello over http');
    expect(lines[4]?.payload.content?.[0]?.text).toBe(turn.output_text);
  });

  it('over WebSocket (--ws): the handshake carries the assertion', async () => {
    await using bed = await cliTestBed();
    const { backend, flags } = bed;
    const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));

    const turn = TurnReport.parse(await runCliJson(['turn', thread.thread_id, 'hello over ws', '--ws', ...flags]));

    expect(turn).toMatchObject({ transport: 'ws', auth_scheme: 'assertion', agent_task: thread.agent_task });
    expect(turn.output_text).toContain('echo: hello over ws');
    expect(backend.admin.requests().at(-1)).toMatchObject({
      transport: 'ws',
      auth: 'agent_assertion',
      taskId: thread.agent_task?.task_id,
    });
  });

  it('prints the streamed answer in text mode', async () => {
    await using bed = await cliTestBed();
    const { flags } = bed;
    const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));

    const { code, stdout } = await runCli(['turn', thread.thread_id, 'hi there', ...flags]);

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^› echo: hi there \(agent agent-\w+, task task_\w+\)\n {2}HTTP\/SSE, AgentAssertion for task task_\w+/,
    );
  });

  it('recovers from a revoked task: one new registration, the null line and the new task line', async () => {
    await using bed = await cliTestBed();
    const { backend, flags } = bed;
    const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));
    const revoked = thread.agent_task;
    await backend.admin.revokeTask(revoked?.task_id ?? '');

    const turn = TurnReport.parse(await runCliJson(['turn', thread.thread_id, 'after revocation', ...flags]));

    expect(turn.recovered_from).toEqual(revoked);
    expect(turn.agent_task?.task_id).not.toBe(revoked?.task_id);
    expect(turn.registrations_in_this_run).toEqual({ identity: 0, task: 1 });
    const states = (await rolloutLines(thread.rollout_path))
      .filter((line) => line.type === 'session_state')
      .map((line) => line.payload.agent_task);
    expect(states).toEqual([revoked, null, turn.agent_task]);
  });

  it('with --no-agent-identity uses Bearer auth', async () => {
    await using bed = await cliTestBed();
    const { backend } = bed;
    const flags = [...bed.flags, '--no-agent-identity'];
    const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags]));

    const turn = TurnReport.parse(await runCliJson(['turn', thread.thread_id, 'bearer please', ...flags]));

    expect(turn).toMatchObject({ auth_scheme: 'bearer', agent_task: null });
    expect(turn.output_text).toBe('echo: bearer please (user user-demo)');
    expect(backend.admin.requests().at(-1)).toMatchObject({ auth: 'bearer', accountIdHeader: true });
  });
});

describe('agent-cli turn against a model endpoint that stalls (--timeout)', () => {
  /** A model endpoint that answers `status` with the head of a refusal body and then never ends it. */
  async function startStallingEndpoint(status: number) {
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(status, { 'content-type': 'application/json' });
      response.write('{"error": {"code": "task_');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      [Symbol.asyncDispose]: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => {
            resolve();
          });
        }),
    };
  }

  it.each([401, 500])(
    'a %i whose body stalls ends the turn with MODEL_TIMEOUT; the user message stays recorded',
    async (status) => {
      await using bed = await cliTestBed();
      await using endpoint = await startStallingEndpoint(status);
      const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...bed.flags]));

      const { code, stderr } = await runCli([
        'turn',
        thread.thread_id,
        'anyone there?',
        ...bed.flags,
        '--responses-url',
        endpoint.url,
        '--timeout',
        '1',
      ]);

      expect(code).toBe(1);
      expect(stderr).toBe(`agent-cli: the model endpoint ${endpoint.url}/v1/responses did not answer within 1 s\n`);
      const rollout = await readFile(thread.rollout_path, 'utf8');
      expect(rollout).toContain('"type":"user_message","message":"anyone there?"');
      expect(rollout).not.toContain('agent_message');
    },
  );

  it('--timeout must be a positive number of seconds', async () => {
    const { code, stderr } = await runCli(['turn', 'some-thread', 'hi', '--timeout', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toContain('--timeout must be a positive number of seconds, got "soon"');
  });
});
