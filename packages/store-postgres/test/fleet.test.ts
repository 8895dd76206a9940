import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceBackend, type ReferenceBackend } from '@agent-identity/reference-backend';
import { ALICE, loginOf } from '@agent-identity/test-bed';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresIdentityStore } from '../src/index.js';
import { outputOnSuccess, printed, spawnFixture } from './support/child-process.js';
import { createFreshDatabase, type FreshDatabase } from '@agent-identity/postgres-server/fresh-database';

interface FleetReport {
  readonly agentRuntimeId: string;
  readonly threads: readonly { threadId: string; taskId: string }[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fleetSetUp(): Promise<{
  backend: ReferenceBackend;
  database: FreshDatabase;
  env: Record<string, string>;
}> {
  const database = await createFreshDatabase();
  cleanups.push(database.drop);
  const backend = await startReferenceBackend({ users: [ALICE] });
  cleanups.push(() => backend.close());
  const env = { FLEET_DATABASE: JSON.stringify(database.connection), FLEET_LOGIN: JSON.stringify(loginOf(ALICE)) };
  return { backend, database, env };
}

/** `processes` runtime processes that each start `threadsEach` threads at the same moment. */
async function startFleet(
  baseUrl: string,
  env: Record<string, string>,
  processes: number,
  threadsEach: number,
): Promise<FleetReport[]> {
  const barrier = await mkdtemp(join(tmpdir(), 'fleet-barrier-'));
  cleanups.push(() => rm(barrier, { recursive: true, force: true }));
  const children = Array.from({ length: processes }, (_, index) =>
    spawnFixture('fleet-runtime.ts', ['start', baseUrl, barrier, String(index), String(threadsEach)], env),
  );
  const outputs = Promise.all(children.map((child) => outputOnSuccess(child)));
  const isReady = (index: number) =>
    stat(join(barrier, `ready-${index}`)).then(
      () => true,
      () => false,
    );
  while (!(await Promise.all(children.map((_, index) => isReady(index)))).every(Boolean)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await writeFile(join(barrier, 'go'), '');
  return (await outputs).map((output) => JSON.parse(output) as FleetReport);
}

async function resumeOnAnotherProcess(
  baseUrl: string,
  env: Record<string, string>,
  threadIds: readonly string[],
): Promise<FleetReport> {
  const output = await outputOnSuccess(spawnFixture('fleet-runtime.ts', ['resume', baseUrl, ...threadIds], env));
  return JSON.parse(output) as FleetReport;
}

describe('runtime processes of a fleet on one PostgreSQL (SPEC §4.1, §4.5)', () => {
  it('a thread started on process A resumes on process B with zero registrations', async () => {
    const { backend, env } = await fleetSetUp();
    const [onA] = await startFleet(backend.baseUrl, env, 1, 1);
    const started = onA?.threads[0];
    expect(started?.taskId).toEqual(expect.any(String));
    expect(backend.admin.counters()).toMatchObject({ agentRegistrations: 1, taskRegistrations: 1 });

    const onB = await resumeOnAnotherProcess(backend.baseUrl, env, [started?.threadId ?? '']);

    expect(onB).toEqual({ agentRuntimeId: onA?.agentRuntimeId, threads: [started] });
    expect(backend.admin.counters()).toMatchObject({ agentRegistrations: 1, taskRegistrations: 1 });
  });

  it('4 processes × 250 threads started at once: one identity registration, 1,000 task registrations', async () => {
    const { backend, database, env } = await fleetSetUp();

    const reports = await startFleet(backend.baseUrl, env, 4, 250);

    expect(backend.admin.counters()).toMatchObject({ agentRegistrations: 1, taskRegistrations: 1000 });
    const [agent] = await backend.admin.agents();
    expect(new Set(reports.map((report) => report.agentRuntimeId))).toEqual(new Set([agent?.agentRuntimeId]));
    const threads = reports.flatMap((report) => report.threads);
    expect(new Set(threads.map((thread) => thread.threadId)).size).toBe(1000);
    expect(new Set(threads.map((thread) => thread.taskId)).size).toBe(1000);
    const { rows } = await database.pool.query<{ count: string }>(
      'SELECT count(*) FROM agent_identity_rollout_lines WHERE is_session_state',
    );
    expect(Number(rows[0]?.count)).toBe(1000);
  });

  it('the lock is fleet-wide, and a holder that dies frees it at once', async () => {
    const { database, env } = await fleetSetUp();
    const holder = spawnFixture('hold-identity-lock.ts', [], env);
    cleanups.push(() => {
      holder.kill('SIGKILL');
      return Promise.resolve();
    });
    await printed(holder, 'locked');
    const impatient = await PostgresIdentityStore.open({ pool: database.pool, lockTimeoutMs: 200 });
    await expect(impatient.withExclusiveLock(() => Promise.resolve('entered'))).rejects.toMatchObject({
      code: 'LOCK_TIMEOUT',
    });

    holder.kill('SIGKILL');

    const patient = await PostgresIdentityStore.open({ pool: database.pool, lockTimeoutMs: 60_000 });
    expect(await patient.withExclusiveLock(() => Promise.resolve('entered'))).toBe('entered');
  });
});
