import { inspect } from 'node:util';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/**
 * Reports a failed command on stderr as one line (plus the stack and causes with `--debug`) and
 * returns its exit code. Our errors' messages never contain a secret, so they are shown as they are.
 */
export function reportFailure(error: unknown, io: CliIo, debug: boolean): number {
  io.stderr(`agent-cli: ${failureMessage(error)}\n`);
  if (CliError.isInstance(error) && error.code === 'USAGE') io.stderr('Run with --help for usage.\n');
  if (debug) io.stderr(`\n${inspect(error, { depth: 6 })}\n`);
  return CliError.isInstance(error) ? error.exitCode : 1;
}

/** The error's message, with the network reason appended when one is buried in its causes. */
export function failureMessage(error: unknown): string {
  return withNetworkReason(error instanceof Error ? error.message : String(error), error);
}

/** `message`, plus the network reason found under `cause` if the message does not say it yet. */
export function withNetworkReason(message: string, cause: unknown): string {
  const network = networkReason(cause);
  return network === undefined || message.includes(network) ? message : `${message} (${network})`;
}

const SYSTEM_ERROR_CODE = /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/;

/**
 * The system error under a failed connection (`connect ECONNREFUSED 127.0.0.1:9`): what tells a
 * user that the backend is down rather than refusing.
 */
export function networkReason(error: unknown): string | undefined {
  let deepest: Error | undefined;
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && SYSTEM_ERROR_CODE.test(code))
      return current.message === '' ? code : current.message;
    deepest = current;
    current = current.cause;
  }
  // `fetch failed` alone says nothing: its innermost cause does (`bad port`, a TLS failure…)
  return deepest !== undefined && deepest !== error && error instanceof Error && error.message === 'fetch failed'
    ? deepest.message
    : undefined;
}
