import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstLine, spawnCli } from './cli-process.js';
import { completedText, postResponses, readEventStream, registerAgentWithTask } from './protocol-client.js';

async function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { code, signal, stdout, stderr };
}

describe('agent-identity-backend CLI', () => {
  it('prints its base URL, serves the configured user, and exits cleanly on SIGTERM', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'reference-backend-cli-'));
    const dataDir = join(folder, 'registry');
    const child = spawnCli([
      '--port',
      '0',
      '--user',
      'token:with:colons:account-9:user-9',
      '--data-dir',
      dataDir,
      '--path-prefix',
      '/backend-api',
    ]);
    try {
      const baseUrl = await firstLine(child);
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/backend-api$/);
      const agent = await registerAgentWithTask(baseUrl, 'token:with:colons');
      const events = await readEventStream(
        await postResponses(`${baseUrl}/v1/responses`, agent.assertion(), 'from a test'),
      );
      expect(completedText(events)).toBe(`echo: from a test (agent ${agent.agentRuntimeId}, task ${agent.taskId})`);
      expect((await stat(join(dataDir, 'PG_VERSION'))).isFile()).toBe(true);

      const exited = exitOf(child);
      child.kill('SIGTERM');
      const { code, signal, stdout, stderr } = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(stdout).toBe('');
      // The banner names the store in use.
      expect(stderr).toBe(`agent-identity-backend: registry: PGlite in ${dataDir}\n`);
    } finally {
      child.kill('SIGKILL');
      await rm(folder, { recursive: true, force: true });
    }
    // --data-dir: a new PGlite folder takes seconds to initialize on a busy host.
  }, 120_000);

  it('exits cleanly on SIGINT', async () => {
    const child = spawnCli([]);
    try {
      await firstLine(child);
      const exited = exitOf(child);
      child.kill('SIGINT');
      expect(await exited).toMatchObject({ code: 0, signal: null });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('exits with 2 and the usage on a bad argument, without repeating a token', async () => {
    const child = spawnCli(['--user', 'secret-token-only']);
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: agent-identity-backend');
    expect(stderr).not.toContain('secret-token-only');
  });

  it('prints the usage on --help, which says where to put tokens other users must not see', async () => {
    const { code, stdout } = await exitOf(spawnCli(['--help']));
    expect(code).toBe(0);
    expect(stdout).toContain('--data-dir');
    expect(stdout).toContain('--database-url');
    expect(stdout).toContain('--users-file <path>');
    expect(stdout).toContain('AGENT_IDENTITY_BACKEND_USERS');
    expect(stdout).toContain('AGENT_IDENTITY_BACKEND_ADMIN_TOKEN');
  });

  // Issue 11 item 5: `--user token:…` is visible to every local user in `ps`.
  it('takes users from a file and from the environment, so that no token is on the command line', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'reference-backend-cli-'));
    const usersFile = join(folder, 'users');
    await writeFile(usersFile, '# users\ntoken-from-file:account-f:user-f\n\n', { mode: 0o600 });
    const child = spawnCli(['--users-file', usersFile], {
      AGENT_IDENTITY_BACKEND_USERS: 'token-from-env:account-e:user-e',
    });
    try {
      const baseUrl = await firstLine(child);
      const fromFile = await registerAgentWithTask(baseUrl, 'token-from-file');
      const fromEnv = await registerAgentWithTask(baseUrl, 'token-from-env');
      const agents = (await (await fetch(`${baseUrl}/_admin/agents`)).json()) as {
        agents: { agentRuntimeId: string; userId: string }[];
      };
      expect(agents.agents.map((agent) => [agent.agentRuntimeId, agent.userId])).toEqual([
        [fromFile.agentRuntimeId, 'user-f'],
        [fromEnv.agentRuntimeId, 'user-e'],
      ]);
    } finally {
      child.kill('SIGKILL');
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('prints the admin token it made on stderr when listening beyond loopback, and requires it', async () => {
    const child = spawnCli(['--host', '0.0.0.0']);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    try {
      const baseUrl = await firstLine(child);
      const token = /Authorization: Bearer (\S+)/.exec(stderr)?.[1];
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const origin = baseUrl.replace('0.0.0.0', '127.0.0.1');
      expect((await fetch(`${origin}/_admin/counters`)).status).toBe(401);
      expect(
        (await fetch(`${origin}/_admin/counters`, { headers: { authorization: `Bearer ${token ?? ''}` } })).status,
      ).toBe(200);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
