import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresServerAddress } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresServerAddress;
  }
}

/**
 * A vitest `globalSetup`: one PostgreSQL server for a package's test files (initdb takes seconds on
 * a busy host), its address provided as `postgres`; each test makes a database of its own
 * (`createFreshDatabase` of `./fresh-database`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgres', server.address);
  return () => server.stop();
}
