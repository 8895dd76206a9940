import type { Logger } from '@agent-identity/core';
import type { CliIo } from './cli-io.js';

/**
 * The runtime's log on stderr: warnings and errors always (a prewarm that failed, a torn rollout
 * line), debug and info with `--debug`. The runtime never logs a token, biscuit or key.
 */
export function cliLogger(io: CliIo, debug: boolean): Logger {
  const write = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) => {
    io.stderr(`agent-cli: ${level}: ${message}${formatFields(fields)}\n`);
  };
  const ignore = (): void => undefined;
  return {
    debug: debug ? write('debug') : ignore,
    info: debug ? write('info') : ignore,
    warn: write('warning'),
    error: write('error'),
  };
}

function formatFields(fields: Readonly<Record<string, unknown>> | undefined): string {
  if (fields === undefined) return '';
  const parts = Object.entries(fields).map(
    ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
