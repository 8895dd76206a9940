// One runtime process of figure 8's fleet: waits at a file barrier so that every process starts at
// the same moment, starts <threads> threads at once on the file stores of a shared Codex home or on
// a shared PostgreSQL, and prints {"ms"} (from the barrier until all are prewarmed) as one JSON line.
// usage: fleet-run.ts files <backend base URL> <barrier> <index> <threads> <Codex home>
//        fleet-run.ts postgres <backend base URL> <barrier> <index> <threads> <pg settings, JSON>
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createAgentIdentityRuntime,
  FileIdentityStore,
  FileRolloutStore,
  MemoryAuthSource,
  type IdentityStore,
  type RolloutStore,
} from '@agent-identity/core';
import { PostgresIdentityStore, PostgresRolloutStore } from '@agent-identity/store-postgres';
import { boundedFetch } from '@agent-identity/test-bed';
import pg from 'pg';
import { BackendProcess } from './backend-process.js';

/** A fleet-wide start of 1,000 threads can take longer than the 15 s default on a shared 2-core host. */
const TIMEOUT_MS = 300_000;

interface Stores {
  readonly identityStore: IdentityStore;
  readonly rolloutStore: RolloutStore;
  readonly close: () => Promise<void>;
}

async function openStores(kind: string, where: string): Promise<Stores> {
  if (kind === 'files') {
    return {
      identityStore: new FileIdentityStore({ path: join(where, 'auth.json') }),
      rolloutStore: new FileRolloutStore({ home: where }),
      close: () => Promise.resolve(),
    };
  }
  const pool = new pg.Pool(JSON.parse(where) as pg.PoolConfig);
  return {
    identityStore: await PostgresIdentityStore.open({ pool }),
    rolloutStore: await PostgresRolloutStore.open({ pool }),
    close: () => pool.end(),
  };
}

async function main(): Promise<void> {
  const [kind, baseUrl, barrier, index, threadsText, where] = process.argv.slice(2);
  const threads = Number(threadsText);
  if (
    (kind !== 'files' && kind !== 'postgres') ||
    baseUrl === undefined ||
    barrier === undefined ||
    index === undefined ||
    where === undefined
  ) {
    throw new Error(
      'usage: fleet-run.ts files|postgres <backend base URL> <barrier> <index> <threads> <Codex home | pg settings>',
    );
  }
  const stores = await openStores(kind, where);
  const { accessToken, accountId, userId } = BackendProcess.user;
  let errors = 0;
  const runtime = createAgentIdentityRuntime({
    useAgentIdentity: true,
    baseUrl,
    authSource: new MemoryAuthSource({ mode: 'chatgpt', accessToken, accountId, userId }),
    identityStore: stores.identityStore,
    rolloutStore: stores.rolloutStore,
    // every thread starts at once; the process talks to the backend over a bounded pool, as a
    // fleet process would (a thousand sockets at once make the backend time out headers: 408)
    fetch: boundedFetch(16),
    timeoutMs: TIMEOUT_MS,
    logger: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message, fields) => process.stderr.write(`warn ${message} ${JSON.stringify(fields)}\n`),
      error: (message, fields) => process.stderr.write(`error ${message} ${JSON.stringify(fields)}\n`),
    },
    onEvent: () => {
      errors += 1;
    },
  });
  await writeFile(join(barrier, `ready-${index}`), '');
  while (!existsSync(join(barrier, 'go'))) await sleep(1);
  const started = performance.now();
  const startedThreads = await Promise.all(Array.from({ length: threads }, () => runtime.startThread()));
  await Promise.all(startedThreads.map((thread) => thread.prewarmed));
  const ms = performance.now() - started;
  const withoutTask = startedThreads.filter((thread) => thread.task === undefined).length;
  if (withoutTask > 0) process.stderr.write(`${withoutTask} threads without a task\n`);
  await runtime.close();
  await stores.close();
  if (errors > 0) throw new Error(`the runtime reported ${errors} error event(s)`);
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
}

await main();
