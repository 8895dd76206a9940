import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthFileLoginSource, writeCodexLogin } from '@agent-identity/core';
import { BackendAdminClient } from '@agent-identity/reference-backend';
import { BOB, closeRuntimeBeds } from '@agent-identity/test-bed';
import { runAgentCliJson } from './support/agent-cli-process.js';
import { killRunningChildren } from './support/child-run.js';
import { CodexBed } from './support/codex-bed.js';

afterEach(async () => {
  killRunningChildren();
  await closeRuntimeBeds();
});

async function expectLoggedInForEveryCodex(bed: CodexBed, when: string): Promise<void> {
  for (const version of ['0.122', '0.171'] as const) {
    const status = await bed.loginStatus(version);
    expect(status.code, `codex ${version} login status ${when}: ${status.stdout} ${status.stderr}`).toBe(0);
    expect(`${status.stdout}${status.stderr}`, `codex ${version} ${when}`).toContain('Logged in using ChatGPT');
  }
}

describe("core's writeCodexLogin and the backend's mintCodexLogin, read by the real Codex CLI (issue 12 item 6)", () => {
  it('a fresh home logged in by the helpers: Codex 0.122 and 0.171 are logged in with ChatGPT, and so is the runtime', async () => {
    // Set up for 0.122, whose model catalog both releases read. CodexBed logs Alice in with writeCodexLogin({ tokens: backend.admin.mintCodexLogin(…) }).
    const bed = await CodexBed.open('0.122');

    await expectLoggedInForEveryCodex(bed, 'on a fresh home');
    expect(await new AuthFileLoginSource({ path: join(bed.home, 'auth.json') }).currentLogin()).toMatchObject({
      mode: 'chatgpt',
      accountId: 'account-1',
      userId: 'user-alice',
    });
  });

  it('logging in again over the admin API of a running backend keeps the identity record every Codex reads', async () => {
    const bed = await CodexBed.open('0.122');
    const place = { home: bed.home, baseUrl: bed.backend.baseUrl };
    const before = await runAgentCliJson(['identity', 'ensure'], place);

    const admin = new BackendAdminClient({ url: bed.backend.baseUrl });
    await writeCodexLogin({ codexHome: bed.home, tokens: await admin.mintCodexLogin({ userId: BOB.userId }) });

    await expectLoggedInForEveryCodex(bed, 'after a new login over an identity record');
    const document = JSON.parse(await readFile(join(bed.home, 'auth.json'), 'utf8')) as {
      tokens: { access_token: string };
      agent_identity: { agent_runtime_id: string };
    };
    expect(document.tokens.access_token).toBe(BOB.accessToken);
    expect(document.agent_identity.agent_runtime_id).toBe(before.agent_runtime_id);
  });
});
