import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ThreadReport } from '../src/json-reports.js';
import { runCli, runCliJson, STACK_LINE } from './support/cli-process.js';
import { closedPortUrl } from './support/closed-port.js';
import { loggedInHome, tempHome } from './support/codex-home.js';
import { cliTestBed } from './support/test-bed.js';

describe('agent-cli errors', () => {
  it('an unknown thread: exit 1, a message naming where it looked, no stack trace', async () => {
    await using home = await loggedInHome();
    const threadId = randomUUID();

    for (const args of [
      ['thread', 'resume', threadId],
      ['thread', 'show', threadId],
      ['turn', threadId, 'hi'],
      ['assert', threadId],
    ]) {
      const { code, stdout, stderr } = await runCli([...args, '--home', home.path]);
      expect({ args, code }).toEqual({ args, code: 1 });
      expect(stderr).toBe(
        `agent-cli: no thread ${threadId} in ${home.path}/sessions (\`agent-cli thread list\` shows the threads there)\n`,
      );
      expect(stdout).toBe('');
    }
  });

  it('--debug adds the stack trace', async () => {
    await using home = await loggedInHome();

    const { code, stderr } = await runCli(['thread', 'resume', randomUUID(), '--home', home.path, '--debug']);

    expect(code).toBe(1);
    expect(stderr).toMatch(STACK_LINE);
  });

  it('a corrupt auth.json: a clear error, and the file is left untouched', async () => {
    await using home = await tempHome();
    const corrupt = '{"tokens": {"id_token": "not-a-jwt", "access_token": "secret-token-value"}}';
    await writeFile(home.authFile, corrupt, { mode: 0o600 });

    for (const args of [
      ['thread', 'start'],
      ['identity', 'ensure'],
      ['identity', 'show'],
    ]) {
      const { code, stderr } = await runCli([...args, '--home', home.path, '--base-url', 'http://127.0.0.1:1']);
      expect({ args, code }).toEqual({ args, code: 1 });
      expect(stderr).toContain(`agent-cli: the auth file ${home.authFile} cannot be used (tokens.id_token: `);
      expect(stderr).not.toContain('secret-token-value');
      expect(stderr).not.toMatch(STACK_LINE);
    }
    expect(await readFile(home.authFile, 'utf8')).toBe(corrupt);
  });

  it('an auth.json that is not JSON: the same', async () => {
    await using home = await tempHome();
    await writeFile(home.authFile, '{ this is not json', { mode: 0o600 });

    const { code, stderr } = await runCli(['identity', 'forget', '--home', home.path]);

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^agent-cli: the auth file .+ cannot be used \(.+\); it was left as it is — fix or remove it\n$/,
    );
    expect(await readFile(home.authFile, 'utf8')).toBe('{ this is not json');
  });

  it('nobody logged in: says which file has no tokens', async () => {
    await using home = await tempHome();

    const { code, stderr } = await runCli(['thread', 'start', '--home', home.path]);

    expect(code).toBe(1);
    expect(stderr).toBe(
      `agent-cli: nobody is logged in: ${home.authFile} has no "tokens" (log in with Codex, or try \`agent-cli demo\`)\n`,
    );
  });

  it('the backend is down: the SPEC error text with the connection error, exit 1', async () => {
    await using home = await loggedInHome();
    const down = await closedPortUrl();

    const ensured = await runCli(['identity', 'ensure', '--home', home.path, '--base-url', down]);
    const started = await runCli(['thread', 'start', '--home', home.path, '--base-url', down]);

    expect(ensured.code).toBe(1);
    // the retries are warnings on the way; the failure is the last line
    expect(ensured.stderr).toMatch(
      new RegExp(
        `\\nagent-cli: failed to send agent identity biscuit request to ${down}/authenticate_app_v2 \\(connect ECONNREFUSED .+\\)\\n$`,
      ),
    );
    expect(started.code).toBe(1);
    expect(started.stderr).toContain(
      `agent-cli: Agent identity registration failed while \`features.use_agent_identity\` is enabled: failed to send agent identity biscuit request to ${down}/authenticate_app_v2 (connect ECONNREFUSED`,
    );
    expect(started.stderr).not.toMatch(STACK_LINE);
  });

  it('a turn whose task cannot be registered prints the SPEC turn event and keeps the user message', async () => {
    await using bed = await cliTestBed();
    const { backend, flags } = bed;
    const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...flags, '--no-agent-identity']));
    backend.admin.injectFault(
      'task_register',
      { kind: 'status', status: 403, body: { error: { code: 'forbidden', message: 'no tasks today' } } },
      { times: 5 },
    );

    const { code, stderr } = await runCli(['turn', thread.thread_id, 'will this work?', ...flags]);

    expect(code).toBe(1);
    expect(stderr).toContain(
      'agent-cli: Agent task registration failed. Please try again; Codex will attempt to register the task again on the next turn: agent task registration failed with status 403 from ',
    );
    const rollout = await readFile(thread.rollout_path, 'utf8');
    expect(rollout).toContain('"type":"user_message","message":"will this work?"');
    expect(rollout).not.toContain('agent_message');
  });

  it('bad usage exits 2 with a message and a pointer to --help', async () => {
    const cases: [string[], string][] = [
      [['bogus'], 'agent-cli: unknown command "bogus"'],
      [['thread', 'list', '--bogus'], "agent-cli: thread: Unknown option '--bogus'"],
      [['thread'], 'agent-cli: thread: missing action (start, resume, list or show)'],
      [['thread', 'resume'], 'agent-cli: thread resume: missing <id>'],
      [['turn', 'abc'], 'agent-cli: turn: missing <message>'],
      [['turn', '../etc', 'hi'], 'agent-cli: invalid thread id "../etc"'],
      [['identity', 'show', 'extra'], 'agent-cli: identity show: unexpected argument "extra"'],
      [['thread', 'list', '--base-url', 'not a url'], 'agent-cli: --base-url must be an absolute URL, got "not a url"'],
      [['thread', 'list', '--base-url', 'ftp://example.com'], 'agent-cli: --base-url must be an http(s) URL'],
      // credentials are never echoed, and nothing is sent (issue 11 item 13)
      [
        ['thread', 'start', '--base-url', 'http://user:hunter2@127.0.0.1:1/api'],
        'agent-cli: --base-url must not carry credentials (user:password@), got "http://***@127.0.0.1:1/api"',
      ],
      [
        ['turn', 'abc', 'hi', '--responses-url', 'http://hunter2@127.0.0.1:1'],
        'agent-cli: --responses-url must not carry credentials (user:password@), got "http://***@127.0.0.1:1"',
      ],
    ];
    await using home = await loggedInHome();
    for (const [args, message] of cases) {
      const { code, stderr } = await runCli([...args, '--home', home.path]);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toContain(message);
      expect(stderr).toContain('Run with --help for usage.');
      expect(stderr).not.toContain('hunter2');
      expect(stderr).not.toMatch(STACK_LINE);
    }
  });

  it('no command prints the usage and exits 2', async () => {
    const { code, stderr } = await runCli([]);

    expect(code).toBe(2);
    expect(stderr).toContain('Usage: agent-cli <command> [options]');
  });
});
