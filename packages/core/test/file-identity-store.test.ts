import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentSigningKey } from '@agent-identity/crypto';
import { describeIdentityStoreConformance } from '@agent-identity/core/testing/conformance';
import { toUnionAgentIdentityRecord, type Codex0122AgentIdentityRecord } from '@agent-identity/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/atomic-file.js';
import { FileIdentityStore } from '../src/file-identity-store.js';
import { exitedCleanly, spawnFixture } from './child-process.js';
import { CapturingLogger } from '../src/testing/capturing-logger.js';
import goldenVectors from './fixtures/golden-vectors.json' with { type: 'json' };
import { makeTempFolder, useTempFolder } from './temp-folder.js';

describeIdentityStoreConformance('FileIdentityStore', async () => {
  const folder = await makeTempFolder();
  return { store: new FileIdentityStore({ path: join(folder.path, 'auth.json') }), cleanup: folder.remove };
});

const folder = useTempFolder();
let path: string;
beforeEach(() => {
  path = join(folder.path, 'auth.json');
});

const ACCESS_TOKEN = 'eyJ-secret-access-token';

const record: Codex0122AgentIdentityRecord = {
  workspace_id: 'account-123',
  chatgpt_user_id: 'user-123',
  agent_runtime_id: 'agent-123',
  agent_private_key: goldenVectors.pkcs8_v2_base64,
  registered_at: '2026-04-19T22:45:28Z',
};
/** What the store writes for {@link record}: the union of both Codex field sets. */
const union = toUnionAgentIdentityRecord(record);

/** A Codex auth file with the keys other software owns, some of them unknown to us. */
const codexAuthFile = {
  OPENAI_API_KEY: null,
  tokens: {
    id_token: 'header.payload.signature',
    access_token: ACCESS_TOKEN,
    refresh_token: 'refresh-secret',
    account_id: 'account-123',
  },
  last_refresh: '2026-04-19T20:00:00.123456Z',
  auth_mode: 'chatgpt',
  a_future_key: { nested: [1, 'two', null], flag: true },
};

async function readJson(): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

describe('FileIdentityStore: the auth file (SPEC §2.2)', () => {
  it('save keeps every other top-level key, in order, and unknown record keys', async () => {
    await writeFile(path, JSON.stringify(codexAuthFile, null, 2));
    const store = new FileIdentityStore({ path });
    const withFutureKey = { ...record, background_task_id: 'bg-7' };
    await store.save(withFutureKey);
    const written = await readJson();
    expect(written).toEqual({ ...codexAuthFile, agent_identity: toUnionAgentIdentityRecord(withFutureKey) });
    expect(Object.keys(written as object)).toEqual([...Object.keys(codexAuthFile), 'agent_identity']);
    expect(await new FileIdentityStore({ path }).load()).toEqual(toUnionAgentIdentityRecord(withFutureKey));
  });

  it('delete removes only the agent_identity key', async () => {
    await writeFile(path, JSON.stringify({ ...codexAuthFile, agent_identity: record }, null, 2));
    const store = new FileIdentityStore({ path });
    expect(await store.delete(record)).toBe(true);
    expect(await readJson()).toEqual(codexAuthFile);
  });

  it('writes pretty JSON like Codex (2-space indent, no trailing newline)', async () => {
    const store = new FileIdentityStore({ path });
    await store.save(record);
    expect(await readFile(path, 'utf8')).toBe(JSON.stringify({ agent_identity: union }, null, 2));
  });

  it('creates the file 0600 and its folders 0700', async () => {
    const nested = join(folder.path, 'home', '.codex', 'auth.json');
    await new FileIdentityStore({ path: nested }).save(record);
    expect((await stat(nested)).mode & 0o777).toBe(0o600);
    expect((await stat(join(folder.path, 'home', '.codex'))).mode & 0o777).toBe(0o700);
  });

  it('loads a Rust-written PKCS#8 v2 key with the key string intact (and it parses)', async () => {
    await writeFile(path, JSON.stringify({ ...codexAuthFile, agent_identity: record }, null, 2));
    const loaded = await new FileIdentityStore({ path }).load();
    expect(loaded?.agent_private_key).toBe(goldenVectors.pkcs8_v2_base64);
    const key = AgentSigningKey.fromPkcs8Base64(loaded!.agent_private_key);
    expect(key.sshPublicKey).toBe(goldenVectors.ssh_public_key);
  });

  it('a save removes the temp file a writer killed mid-write left behind (it holds secrets)', async () => {
    const abandoned = join(folder.path, '.auth.json.a1b2c3d4e5f6.tmp');
    await writeFile(abandoned, JSON.stringify({ ...codexAuthFile, agent_identity: record }), { mode: 0o600 });
    await writeFile(path, JSON.stringify(codexAuthFile));
    await new FileIdentityStore({ path }).save(record);
    await expect(stat(abandoned)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('agent_identity: null reads as empty', async () => {
    await writeFile(path, JSON.stringify({ ...codexAuthFile, agent_identity: null }));
    expect(await new FileIdentityStore({ path }).load()).toBeUndefined();
  });

  it('load reads the file only when it changed; a change by another writer is seen', async () => {
    await writeFile(path, JSON.stringify({ agent_identity: union }));
    const store = new FileIdentityStore({ path });
    for (let turn = 0; turn < 5; turn += 1) expect(await store.load()).toEqual(union);
    expect(store.fileReads).toBe(1);
    const rotated = { ...union, agent_runtime_id: 'agent-456' };
    await writeFileAtomic(path, JSON.stringify({ agent_identity: rotated }));
    expect(await store.load()).toEqual(rotated);
    expect(store.fileReads).toBe(2);
  });

  describe('only our slot is ours to check', () => {
    it('an invalid agent_identity reads as empty with a warning, and save replaces just the slot', async () => {
      const text = JSON.stringify({
        ...codexAuthFile,
        agent_identity: { workspace_id: 'account-123', agent_private_key: 'secret-key' },
      });
      await writeFile(path, text);
      const logger = new CapturingLogger();
      const store = new FileIdentityStore({ path, logger });
      expect(await store.load()).toBeUndefined();
      expect(logger.messages('warn').join('\n')).toContain('agent_identity is not a valid record');
      expect(logger.messages('warn').join('\n')).not.toContain('secret-key');
      expect(await store.delete(record)).toBe(false);
      expect(await readFile(path, 'utf8')).toBe(text);
      await store.save(record);
      expect(await readJson()).toEqual({ ...codexAuthFile, agent_identity: union });
    });

    it('keys of other programs in unfamiliar shapes do not stop the store', async () => {
      const others = { tokens: { id_token: 42, access_token: ['?'] }, OPENAI_API_KEY: { v: 2 }, last_refresh: 7 };
      await writeFile(path, JSON.stringify(others));
      const store = new FileIdentityStore({ path });
      expect(await store.load()).toBeUndefined();
      await store.save(record);
      expect(await readJson()).toEqual({ ...others, agent_identity: union });
    });
  });

  describe('a corrupt auth file is reported and never overwritten', () => {
    const corruptFiles = {
      'not JSON': '{"tokens": {"access_token": "eyJ-secret-access-token"',
      'not an object': '["eyJ-secret-access-token"]',
    };

    for (const [name, text] of Object.entries(corruptFiles)) {
      it(`${name}: load, save and delete fail with AUTH_FILE_CORRUPT; the file is byte-identical`, async () => {
        await writeFile(path, text);
        const store = new FileIdentityStore({ path });
        const loading = store.load();
        await expect(loading).rejects.toMatchObject({ code: 'AUTH_FILE_CORRUPT' });
        const error = (await loading.catch((e: unknown) => e)) as Error;
        expect(error.message).toContain(path);
        expect(error.message).not.toContain(ACCESS_TOKEN);
        expect(error.message).not.toContain('secret-key');
        await expect(store.save(record)).rejects.toMatchObject({ code: 'AUTH_FILE_CORRUPT' });
        await expect(store.delete(record)).rejects.toMatchObject({ code: 'AUTH_FILE_CORRUPT' });
        expect(await readFile(path, 'utf8')).toBe(text);
      });
    }

    it('once repaired, the file is usable again', async () => {
      await writeFile(path, 'not json');
      const store = new FileIdentityStore({ path });
      await expect(store.load()).rejects.toMatchObject({ code: 'AUTH_FILE_CORRUPT' });
      await writeFileAtomic(path, JSON.stringify(codexAuthFile));
      expect(await store.load()).toBeUndefined();
      await store.save(record);
      expect(await store.load()).toEqual(union);
    });
  });

  it('8 processes × 25 locked read-modify-writes → counter 200, the file always parses, other keys intact', async () => {
    await writeFile(path, JSON.stringify({ ...codexAuthFile, agent_identity: { ...record, counter: 0 } }, null, 2));
    const startAt = String(Date.now() + 1_500);
    const children = Array.from({ length: 8 }, () =>
      spawnFixture('increment-identity-counter.ts', [path, startAt, '25']),
    );
    const exits = Promise.all(children.map((child) => exitedCleanly(child)));
    const race = { running: true };
    let reads = 0;
    const reader = (async () => {
      while (race.running) {
        expect(await readJson()).toMatchObject({ tokens: codexAuthFile.tokens });
        reads += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      await exits;
    } finally {
      race.running = false;
      await reader;
    }
    expect(reads).toBeGreaterThan(0);
    expect(await readJson()).toEqual({ ...codexAuthFile, agent_identity: { ...union, counter: 200 } });
  }, 60_000);
});

describe('FileIdentityStore: an auth file other users can read (issue 11 item 11)', () => {
  const RESTRICTED =
    'agent identity: the auth file holding the agent key was readable by other users; restricted it to 0600';

  it('holding a key, 0644 and ours: tightened to 0600, warned once', async () => {
    await writeFile(path, JSON.stringify({ ...codexAuthFile, agent_identity: union }, null, 2), { mode: 0o644 });
    await chmod(path, 0o644);
    const logger = new CapturingLogger();
    const store = new FileIdentityStore({ path, logger });

    expect(await store.load()).toEqual(union);

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(logger.lines).toEqual([{ level: 'warn', message: RESTRICTED, fields: { path, mode: '0644' } }]);
    await chmod(path, 0o640); // loosened again by someone else: tightened again, not warned again
    await store.load();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(logger.lines).toHaveLength(1);
  });

  it('without a key (only the login): left as it is, no warning', async () => {
    await writeFile(path, JSON.stringify(codexAuthFile, null, 2));
    await chmod(path, 0o644);
    const logger = new CapturingLogger();
    expect(await new FileIdentityStore({ path, logger }).load()).toBeUndefined();
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    expect(logger.lines).toEqual([]);
  });
});

describe('FileIdentityStore: a home that cannot hold the lock file (issue 11 item 13)', () => {
  it('a home under a regular file: AUTH_FILE_IO naming the lock file, not a raw ENOTDIR', async () => {
    await writeFile(join(folder.path, 'not-a-folder'), '');
    const lockedPath = join(folder.path, 'not-a-folder', 'home', 'auth.json');
    const store = new FileIdentityStore({ path: lockedPath });

    const error: unknown = await store.save(record).then(
      () => undefined,
      (failure: unknown) => failure,
    );

    expect(error).toMatchObject({ code: 'AUTH_FILE_IO', message: `cannot take the lock file ${lockedPath}.lock` });
    expect((error as Error).cause).toMatchObject({ code: 'ENOTDIR' });
  });
});
