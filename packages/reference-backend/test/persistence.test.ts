import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendError, startReferenceBackend } from '../src/index.js';
import { completedText, postResponses, readEventStream, registerAgentWithTask } from './protocol-client.js';
import { alice, errorOf } from './test-users.js';

let folder: string;
let dataFile: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reference-backend-'));
  dataFile = join(folder, 'backend.json');
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

describe('dataFile', () => {
  it('survives a restart: the agent, its task and a revocation are still known', async () => {
    const first = await startReferenceBackend({ users: [alice], dataFile });
    const agent = await registerAgentWithTask(first.baseUrl, alice.accessToken);
    const revoked = await registerAgentWithTask(first.baseUrl, alice.accessToken);
    await first.admin.revokeTask(revoked.taskId);
    await first.close();

    await using second = await startReferenceBackend({ users: [alice], dataFile });
    expect(second.admin.agents().map((record) => record.agentRuntimeId)).toEqual([
      agent.agentRuntimeId,
      revoked.agentRuntimeId,
    ]);
    const events = await readEventStream(await postResponses(second.responsesUrl, agent.assertion(), 'after restart'));
    expect(completedText(events)).toBe(`echo: after restart (agent ${agent.agentRuntimeId}, task ${agent.taskId})`);
    expect((await errorOf(await postResponses(second.responsesUrl, revoked.assertion(), 'x'))).code).toBe(
      'task_invalid',
    );
  });

  it('writes the file with mode 0600 and leaves no temp files', async () => {
    await using backend = await startReferenceBackend({ users: [alice], dataFile });
    await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    expect((await stat(dataFile)).mode & 0o777).toBe(0o600);
    expect(await readdir(folder)).toEqual(['backend.json']);
  });

  it('stores agents and tasks, never access tokens or biscuits', async () => {
    await using backend = await startReferenceBackend({ users: [alice], dataFile });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    const stored = JSON.parse(await readFile(dataFile, 'utf8')) as {
      version: number;
      agents: unknown[];
      tasks: unknown[];
    };
    expect(stored).toMatchObject({
      version: 1,
      agents: [{ agentRuntimeId: agent.agentRuntimeId, publicKey: agent.key.sshPublicKey }],
      tasks: [{ taskId: agent.taskId }],
    });
    expect(JSON.stringify(stored)).not.toContain(alice.accessToken);
  });

  it('starts empty when the file does not exist yet, and creates it on the first change', async () => {
    await using backend = await startReferenceBackend({ users: [alice], dataFile });
    expect(backend.admin.agents()).toEqual([]);
    await expect(stat(dataFile)).rejects.toThrow();
    await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    expect((await stat(dataFile)).isFile()).toBe(true);
  });

  it('refuses to start on a data file that is not JSON, and leaves it untouched', async () => {
    await writeFile(dataFile, 'not json at all');
    const error = await startError({ dataFile });
    expect(BackendError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'DATA_FILE_INVALID' });
    expect(await readFile(dataFile, 'utf8')).toBe('not json at all');
  });

  it('refuses to start on JSON of another shape', async () => {
    await writeFile(dataFile, JSON.stringify({ version: 2, agents: [] }));
    expect(await startError({ dataFile })).toMatchObject({ code: 'DATA_FILE_INVALID' });
  });

  it('answers 500 and stays up when the data file cannot be written', async () => {
    const missingFolder = join(folder, 'gone', 'backend.json');
    await using backend = await startReferenceBackend({ users: [alice], dataFile: missingFolder });
    await expect(registerAgentWithTask(backend.baseUrl, alice.accessToken)).rejects.toThrow(
      'agent registration failed: 500',
    );
    expect((await fetch(`${backend.url}/_admin/counters`)).status).toBe(200);
  });
});
