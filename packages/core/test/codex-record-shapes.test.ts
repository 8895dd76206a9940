import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBase64UrlNoPad, UNKNOWN_REGISTERED_AT } from '@agent-identity/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { FileIdentityStore } from '../src/stores/file-identity-store.js';
import { CapturingLogger } from '../src/testing/capturing-logger.js';
import goldenVectors from './fixtures/golden-vectors.json' with { type: 'json' };
import { useTempFolder } from './temp-folder.js';

const folder = useTempFolder();
let path: string;
beforeEach(() => {
  path = join(folder.path, 'auth.json');
});

const KEY = goldenVectors.pkcs8_v2_base64;

function segment(value: unknown): string {
  return encodeBase64UrlNoPad(new TextEncoder().encode(JSON.stringify(value)));
}

/** A ChatGPT login whose ID token carries an email and a plan (what the union takes from it). */
const login = {
  OPENAI_API_KEY: null,
  tokens: {
    id_token: [
      segment({ alg: 'RS256' }),
      segment({
        email: 'alice@example.com',
        'https://api.openai.com/auth': {
          chatgpt_account_id: 'account-123',
          chatgpt_user_id: 'user-123',
          chatgpt_plan_type: 'plus',
        },
      }),
      'c2ln',
    ].join('.'),
    access_token: 'access-token-secret',
    refresh_token: 'refresh-token-secret',
    account_id: 'account-123',
  },
  last_refresh: '2026-12-03T07:00:00Z',
  a_top_level_key_of_another_tool: { kept: true },
};

/** As Codex 0.122 writes it (SPEC §2.2). */
const codex0122Record = {
  workspace_id: 'account-123',
  chatgpt_user_id: 'user-123',
  agent_runtime_id: 'agent-0122',
  agent_private_key: KEY,
  registered_at: '2026-04-19T22:45:28Z',
  background_task_id: 'bg-1',
};

/** As Codex 0.169–0.171 writes it (CODEX-CURRENT). */
const codexCurrentRecord = {
  agent_runtime_id: 'agent-current',
  agent_private_key: KEY,
  account_id: 'account-123',
  chatgpt_user_id: 'user-123',
  email: 'alice@work.example',
  plan_type: 'team',
  chatgpt_account_is_fedramp: true,
  task_id: 'task-of-the-identity',
  a_newer_field: [1, 2],
};

async function home(agentIdentity: unknown, extra: Record<string, unknown> = {}): Promise<FileIdentityStore> {
  await writeFile(path, JSON.stringify({ ...login, ...extra, agent_identity: agentIdentity }, null, 2));
  return new FileIdentityStore({ path });
}

async function writtenFile(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

describe('the record every Codex reads (CODEX-CURRENT): three shapes in, the union out', () => {
  it('a Codex 0.122 record loads as the union; email and plan_type come from the ID token', async () => {
    const store = await home(codex0122Record);
    expect(await store.load()).toEqual({
      ...codex0122Record,
      account_id: 'account-123',
      email: 'alice@example.com',
      plan_type: 'plus',
      chatgpt_account_is_fedramp: false,
    });
  });

  it('a current Codex record loads as the union; its own email, plan, FedRAMP flag and task win', async () => {
    const store = await home(codexCurrentRecord);
    expect(await store.load()).toEqual({
      ...codexCurrentRecord,
      workspace_id: 'account-123',
      registered_at: UNKNOWN_REGISTERED_AT,
    });
  });

  it('saving a loaded 0.122 record (a home an earlier agent-cli wrote) rewrites it as the union, other keys kept', async () => {
    const store = await home(codex0122Record);
    const loaded = await store.load();
    await store.save(loaded!);
    const file = await writtenFile();
    expect(file).toEqual({ ...login, agent_identity: loaded });
    expect(file.agent_identity).toMatchObject({
      workspace_id: 'account-123',
      account_id: 'account-123',
      background_task_id: 'bg-1',
    });
  });

  it.each([
    ['Codex 0.122', codex0122Record],
    ['a current Codex', codexCurrentRecord],
  ])(
    'loading a record of %s shape upgrades the file to the union once (a home Codex wrote stays readable by every Codex)',
    async (_shape, record) => {
      const logger = new CapturingLogger();
      await writeFile(path, JSON.stringify({ ...login, agent_identity: record }, null, 2));
      const store = new FileIdentityStore({ path, logger });
      const loaded = await store.load();
      expect(await writtenFile()).toEqual({ ...login, agent_identity: loaded });
      const upgradeLines = () =>
        logger.messages('info').filter((line) => line.includes('fields of every Codex version'));
      expect(upgradeLines()).toHaveLength(1);
      const rewritten = await readFile(path, 'utf8');
      expect(await new FileIdentityStore({ path, logger }).load()).toEqual(loaded);
      expect(await readFile(path, 'utf8')).toBe(rewritten);
      expect(upgradeLines()).toHaveLength(1);
    },
  );

  it('a union record already on disk is loaded without a write', async () => {
    const store = await home(codex0122Record);
    const union = await store.load();
    await writeFile(path, JSON.stringify({ ...login, agent_identity: union }));
    const before = await readFile(path, 'utf8');
    expect(await new FileIdentityStore({ path }).load()).toEqual(union);
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('never writes the 0.122-only shape: a 0.122 record given to save is written as the union', async () => {
    const store = await home(null);
    await store.save(codex0122Record);
    expect(Object.keys((await writtenFile()).agent_identity as object)).toEqual([
      ...Object.keys(codex0122Record),
      'account_id',
      'email',
      'plan_type',
      'chatgpt_account_is_fedramp',
    ]);
  });

  it('a record whose workspace_id and account_id disagree is not a record: it reads as absent, with a warning', async () => {
    await writeFile(
      path,
      JSON.stringify({ ...login, agent_identity: { ...codexCurrentRecord, workspace_id: 'account-other' } }),
    );
    const logger = new CapturingLogger();
    const store = new FileIdentityStore({ path, logger });
    expect(await store.load()).toBeUndefined();
    expect(logger.messages('warn').join('\n')).toContain('not a valid record');
  });

  describe('the JWT form ({"auth_mode": "agentIdentity", "agent_identity": "<JWT>"})', () => {
    const jwt = [segment({ alg: 'RS256', kid: 'k1' }), segment({ agent_runtime_id: 'agent-jwt' }), 'c2ln'].join('.');

    it('loads no record and gives the JWT to loadIdentityJwt', async () => {
      const store = await home(jwt, { auth_mode: 'agentIdentity' });
      expect(await store.load()).toBeUndefined();
      expect(await store.loadIdentityJwt()).toBe(jwt);
    });

    it('save refuses (AUTH_FILE_HOLDS_IDENTITY_JWT) and leaves the file byte for byte', async () => {
      const store = await home(jwt, { auth_mode: 'agentIdentity' });
      const before = await readFile(path, 'utf8');
      await expect(store.save(codex0122Record)).rejects.toMatchObject({ code: 'AUTH_FILE_HOLDS_IDENTITY_JWT' });
      expect(await store.delete(codex0122Record)).toBe(false);
      expect(await readFile(path, 'utf8')).toBe(before);
    });

    it('a record file has no identity JWT', async () => {
      expect(await (await home(codexCurrentRecord)).loadIdentityJwt()).toBeUndefined();
    });
  });
});
