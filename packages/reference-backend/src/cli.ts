#!/usr/bin/env node
import { CLI_USAGE, parseCliArguments } from './cli-arguments.js';
import { startReferenceBackend } from './reference-backend.js';

/**
 * `agent-identity-backend`: starts the reference backend, prints its base URL as the only stdout
 * line, and closes cleanly on SIGINT or SIGTERM (exit code 0). Bad arguments exit with 2, a
 * failure to start with 1; messages go to stderr and never contain a token.
 */
async function main(): Promise<void> {
  let command;
  try {
    command = parseCliArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${CLI_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (command.kind === 'help') {
    process.stdout.write(CLI_USAGE);
    return;
  }

  const backend = await startReferenceBackend(command.options);
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
  process.stdout.write(`${backend.baseUrl}\n`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  process.stderr.write(`agent-identity-backend: ${describe(error)}\n`);
  process.exitCode = 1;
});
