import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresServerAddress } from '@agent-identity/postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresServerAddress;
  }
}

/** One PostgreSQL server for the package's test files; each test gets a database of its own. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgres', server.address);
  return () => server.stop();
}
