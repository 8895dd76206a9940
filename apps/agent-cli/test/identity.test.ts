import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { IdentityReport } from '../src/json-reports.js';
import { cliTestBed } from './support/test-bed.js';
import { runCli, runCliJson, STACK_LINE } from './support/cli-process.js';
import { loggedInHome } from './support/codex-home.js';

async function storedPrivateKey(authFile: string): Promise<string> {
  const document = JSON.parse(await readFile(authFile, 'utf8')) as { agent_identity?: { agent_private_key: string } };
  if (document.agent_identity === undefined) throw new Error('no agent_identity in the auth file');
  return document.agent_identity.agent_private_key;
}

describe('agent-cli identity', () => {
  it('ensure registers once and prints the public fields, never the private key', async () => {
    await using bed = await cliTestBed();
    const { backend, home, flags } = bed;

    const ensured = await runCli(['identity', 'ensure', ...flags, '--json']);
    const again = IdentityReport.parse(await runCliJson(['identity', 'ensure', ...flags]));
    const shown = IdentityReport.parse(await runCliJson(['identity', 'show', ...flags]));

    const first = IdentityReport.parse(JSON.parse(ensured.stdout));
    expect(first).toMatchObject({
      workspace_id: 'account-demo',
      chatgpt_user_id: 'user-demo',
      auth_file: home.authFile,
      registered_in_this_run: true,
    });
    expect(first.agent_runtime_id).toMatch(/^agent-/);
    expect(first.public_key_ssh).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI/);
    expect(first.registered_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(again).toEqual({ ...first, registered_in_this_run: false });
    const { registered_in_this_run: _, ...publicFields } = first;
    expect(shown).toEqual(publicFields);
    expect(backend.admin.counters().agentRegistrations).toBe(1);
    expect(ensured.stdout).not.toContain(await storedPrivateKey(home.authFile));
  });

  it('show without an identity exits 1 and says how to get one', async () => {
    await using home = await loggedInHome();

    const { code, stderr } = await runCli(['identity', 'show', '--home', home.path]);

    expect(code).toBe(1);
    expect(stderr).toContain(`no agent identity in ${home.authFile} (\`agent-cli identity ensure\` registers one)`);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('forget removes the record and keeps the login', async () => {
    await using bed = await cliTestBed();
    const { home, flags } = bed;
    const { agent_runtime_id: agentRuntimeId } = IdentityReport.parse(
      await runCliJson(['identity', 'ensure', ...flags]),
    );

    const forgotten = await runCliJson(['identity', 'forget', ...flags]);
    const forgottenAgain = await runCliJson(['identity', 'forget', ...flags]);

    expect(forgotten).toEqual({ forgotten: true, agent_runtime_id: agentRuntimeId, auth_file: home.authFile });
    expect(forgottenAgain).toEqual({ forgotten: false, agent_runtime_id: null, auth_file: home.authFile });
    const document = JSON.parse(await readFile(home.authFile, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual(['OPENAI_API_KEY', 'tokens', 'last_refresh']);
  });
});
