#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { CLI_USAGE, parseCliArguments, parseUserLines } from './cli-arguments.js';
import type { RegistryStoreKind } from '@agent-identity/registry';
import type { ReferenceBackendOptions } from './options.js';
import { startReferenceBackend } from './reference-backend.js';

/**
 * `agent-identity-backend`: starts the reference backend, prints its base URL as the only stdout
 * line, and closes cleanly on SIGINT or SIGTERM (exit code 0). Bad arguments exit with 2, a
 * failure to start with 1; messages go to stderr and never contain a user's token. The one secret
 * it prints (stderr) is an admin token it made itself, listening beyond loopback.
 */
async function main(): Promise<void> {
  let command;
  try {
    command = parseCliArguments(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${CLI_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (command.kind === 'help') {
    process.stdout.write(CLI_USAGE);
    return;
  }

  const options = { ...command.options };
  if (command.usersFile !== undefined) {
    const fromFile = parseUserLines(await readFile(command.usersFile, 'utf8'));
    options.users = [...(options.users ?? []), ...fromFile];
  }
  const backend = await startReferenceBackend(options);
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    backend.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`agent-identity-backend: error while closing: ${describe(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Printed only when the backend made the token itself: the operator has no other way to learn it.
  if (backend.adminToken !== undefined && options.adminToken === undefined) {
    process.stderr.write(`agent-identity-backend: /_admin requires Authorization: Bearer ${backend.adminToken}\n`);
  }
  process.stderr.write(`agent-identity-backend: registry: ${describeRegistry(backend.registryKind, options)}\n`);
  process.stdout.write(`${backend.baseUrl}\n`);
}

/** Which store holds the state, for the banner; the database URL's password is never printed. */
function describeRegistry(kind: RegistryStoreKind, options: ReferenceBackendOptions): string {
  if (kind === 'pglite') return `PGlite in ${options.dataDir ?? ''}`;
  if (kind === 'postgres' && options.databaseUrl !== undefined && URL.canParse(options.databaseUrl)) {
    const url = new URL(options.databaseUrl);
    return `PostgreSQL at ${url.host}${url.pathname}`;
  }
  return kind === 'postgres' ? 'PostgreSQL' : 'memory (state is lost when the process ends)';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  process.stderr.write(`agent-identity-backend: ${describe(error)}\n`);
  process.exitCode = 1;
});
