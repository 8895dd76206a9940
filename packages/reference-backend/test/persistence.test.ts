import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { biscuitUrl, agentRegisterUrl } from '@agent-identity/protocol';
import { RegistryError } from '@agent-identity/registry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendError, startReferenceBackend } from '../src/index.js';
import {
  biscuitHeaders,
  completedText,
  postResponses,
  readEventStream,
  registerAgentWithTask,
} from './protocol-client.js';
import { alice, errorOf } from './test-users.js';

let folder: string;
let dataDir: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reference-backend-'));
  dataDir = join(folder, 'registry');
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function startError(options: Parameters<typeof startReferenceBackend>[0]): Promise<unknown> {
  try {
    const backend = await startReferenceBackend(options);
    await backend.close();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Every file under `root`, read as bytes. */
async function filesUnder(root: string): Promise<Buffer[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries.filter((entry) => entry.isFile()).map((entry) => readFile(join(entry.parentPath, entry.name))),
  );
}

// A new PGlite folder takes seconds to initialize (WASM PostgreSQL's initdb) on a busy host.
const pgliteTimeoutMs = 120_000;

describe('dataDir (PGlite)', () => {
  it(
    'survives a restart: the agent, its task and a revocation are still known',
    async () => {
      const first = await startReferenceBackend({ users: [alice], dataDir });
      expect(first.registryKind).toBe('pglite');
      const agent = await registerAgentWithTask(first.baseUrl, alice.accessToken);
      const revoked = await registerAgentWithTask(first.baseUrl, alice.accessToken);
      await first.admin.revokeTask(revoked.taskId);
      await first.close();

      await using second = await startReferenceBackend({ users: [alice], dataDir });
      expect((await second.admin.agents()).map((record) => record.agentRuntimeId)).toEqual([
        agent.agentRuntimeId,
        revoked.agentRuntimeId,
      ]);
      const events = await readEventStream(
        await postResponses(second.responsesUrl, agent.assertion(), 'after restart'),
      );
      expect(completedText(events)).toBe(`echo: after restart (agent ${agent.agentRuntimeId}, task ${agent.taskId})`);
      expect((await errorOf(await postResponses(second.responsesUrl, revoked.assertion(), 'x'))).code).toBe(
        'task_invalid',
      );
    },
    pgliteTimeoutMs,
  );

  it(
    'stores agents and tasks, never an access token or an outstanding biscuit',
    async () => {
      const backend = await startReferenceBackend({ users: [alice], dataDir });
      await registerAgentWithTask(backend.baseUrl, alice.accessToken);
      const minted = await fetch(biscuitUrl(backend.baseUrl), {
        headers: biscuitHeaders(alice.accessToken, 'POST', agentRegisterUrl(backend.baseUrl)),
      });
      const biscuit = minted.headers.get('x-openai-authorization') ?? '';
      expect(biscuit).not.toBe('');
      await backend.close();

      const files = await filesUnder(dataDir);
      expect(files.length).toBeGreaterThan(0);
      expect(files.some((bytes) => bytes.includes(alice.accessToken))).toBe(false);
      expect(files.some((bytes) => bytes.includes(biscuit))).toBe(false);
    },
    pgliteTimeoutMs,
  );
});

describe('where the registry lives', () => {
  it('refuses dataDir and databaseUrl together with OPTIONS_INVALID', async () => {
    const error = await startError({ dataDir, databaseUrl: 'postgres://127.0.0.1:1/registry' });
    expect(BackendError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'OPTIONS_INVALID' });
  });

  it('stops the start with REGISTRY_UNAVAILABLE when the database cannot be reached, the password never shown', async () => {
    const error = await startError({ databaseUrl: 'postgres://registry:s3cret-password@127.0.0.1:1/registry' });
    expect(RegistryError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    expect((error as Error).message).not.toContain('s3cret-password');
  });
});
