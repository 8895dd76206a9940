import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FileRolloutStore, rolloutRelativePath } from '@agent-identity/core';
import { toUnionAgentIdentityRecord } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { exportCodexHome, importCodexHome, PostgresIdentityStore, PostgresRolloutStore } from '../src/index.js';
import { createFreshDatabase, type FreshDatabase } from '@agent-identity/postgres-server/fresh-database';

/** The repo's Codex rollout sample (a real rollout's shape: three session_state lines, unknown variants). */
const SAMPLE = new URL('../../core/test/fixtures/codex-rollout-sample.jsonl', import.meta.url);
const SAMPLE_THREAD = '0199a0f0-1111-7aaa-8bbb-123456789abc';

/** An auth file as Codex writes it: login keys that are not ours, and our slot with a field from a newer Codex. */
const AUTH_FILE = {
  OPENAI_API_KEY: null,
  tokens: { id_token: 'header.payload.signature', access_token: 'access-token-not-moved', account_id: 'account-1' },
  last_refresh: '2026-04-19T20:00:00.123456Z',
  agent_identity: {
    workspace_id: 'account-1',
    chatgpt_user_id: 'user-alice',
    agent_runtime_id: 'agent-123',
    agent_private_key:
      'MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=',
    registered_at: '2026-04-19T22:45:28Z',
    a_field_from_a_newer_codex: { nested: [1, 'two'] },
  },
};

const folders: string[] = [];
let database: FreshDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function tempHome(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'codex-home-'));
  folders.push(folder);
  return folder;
}

/** A Codex home with the auth file, the sample rollout and a second rollout whose last line is torn. */
async function codexHome(): Promise<{ home: string; rollouts: Map<string, string> }> {
  const home = await tempHome();
  await writeFile(join(home, 'auth.json'), JSON.stringify(AUTH_FILE, null, 2), { mode: 0o600 });
  const sample = join(home, rolloutRelativePath(SAMPLE_THREAD, new Date(2026, 3, 19, 22, 45, 20)));
  await mkdir(dirname(sample), { recursive: true });
  await copyFile(SAMPLE, sample);
  const torn = join(home, rolloutRelativePath('thread-torn', new Date(2026, 3, 20, 9, 0, 0)));
  await mkdir(dirname(torn), { recursive: true });
  const sampleText = await readFile(SAMPLE, 'utf8');
  await writeFile(
    torn,
    `${sampleText.split('\n')[0] ?? ''}\n{"timestamp":"2026-04-20T09:00:01.000Z","type":"session_st\n`,
  );
  return {
    home,
    rollouts: new Map([
      [sample.slice(home.length), await readFile(sample, 'utf8')],
      [torn.slice(home.length), await readFile(torn, 'utf8')],
    ]),
  };
}

describe('importCodexHome / exportCodexHome', () => {
  it('a Codex home goes into the stores and comes back out byte for byte (rollouts) and key for key (the record)', async () => {
    database = await createFreshDatabase();
    const identityStore = await PostgresIdentityStore.open({ pool: database.pool });
    const rolloutStore = await PostgresRolloutStore.open({ pool: database.pool });
    const { home, rollouts } = await codexHome();

    const imported = await importCodexHome({ home, identityStore, rolloutStore });
    expect(imported.identity).toBe(true);
    expect([...imported.threadIds].sort()).toEqual([SAMPLE_THREAD, 'thread-torn']);

    // every field kept, as the union of both Codex field sets that core's stores write
    expect(await identityStore.load()).toEqual(toUnionAgentIdentityRecord(AUTH_FILE.agent_identity));
    const fromFiles = await new FileRolloutStore({ home }).newestSessionState(SAMPLE_THREAD);
    expect(await rolloutStore.newestSessionState(SAMPLE_THREAD)).toEqual(fromFiles);
    expect(fromFiles).toMatchObject({ found: true, agentTask: { task_id: 'task_456' } });
    expect(await rolloutStore.newestSessionState('thread-torn')).toEqual({ found: false });

    const exported = await tempHome();
    const exportedThreads = await exportCodexHome({ home: exported, identityStore, rolloutStore });
    expect(exportedThreads.identity).toBe(true);
    expect([...exportedThreads.threadIds].sort()).toEqual([SAMPLE_THREAD, 'thread-torn']);
    for (const [relativePath, text] of rollouts) {
      expect(await readFile(join(exported, relativePath), 'utf8')).toBe(text);
    }
    const authText = await readFile(join(exported, 'auth.json'), 'utf8');
    expect(authText).toBe(
      JSON.stringify({ agent_identity: toUnionAgentIdentityRecord(AUTH_FILE.agent_identity) }, null, 2),
    );
  });

  it('exporting into the home it came from keeps its auth file and refuses to overwrite a rollout', async () => {
    database = await createFreshDatabase();
    const identityStore = await PostgresIdentityStore.open({ pool: database.pool });
    const rolloutStore = await PostgresRolloutStore.open({ pool: database.pool });
    const { home } = await codexHome();
    await importCodexHome({ home, identityStore, rolloutStore });

    await expect(exportCodexHome({ home, identityStore, rolloutStore })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(JSON.parse(await readFile(join(home, 'auth.json'), 'utf8'))).toEqual({
      ...AUTH_FILE,
      agent_identity: toUnionAgentIdentityRecord(AUTH_FILE.agent_identity),
    });
  });

  it('importing a thread id the store already has is THREAD_EXISTS, and leaves that thread as it was', async () => {
    database = await createFreshDatabase();
    const identityStore = await PostgresIdentityStore.open({ pool: database.pool });
    const rolloutStore = await PostgresRolloutStore.open({ pool: database.pool });
    await rolloutStore.createThread(SAMPLE_THREAD);
    const { home } = await codexHome();

    await expect(importCodexHome({ home, identityStore, rolloutStore })).rejects.toMatchObject({
      code: 'THREAD_EXISTS',
    });
    expect(await rolloutStore.lines(SAMPLE_THREAD)).toHaveLength(1);
  });
});
