import { AgentIdentityError, hasErrorMarker } from '@agent-identity/protocol';

export type CliErrorCode =
  | 'USAGE'
  | 'NOT_LOGGED_IN'
  | 'NO_IDENTITY'
  | 'THREAD_NOT_FOUND'
  | 'IDENTITY_REGISTRATION_FAILED'
  | 'TASK_REGISTRATION_FAILED'
  | 'MODEL_REFUSED'
  | 'MODEL_TIMEOUT'
  | 'HEADER_INVALID'
  | 'CHILD_PROCESS_FAILED'
  | 'DEMO_CHECK_FAILED';

const cliErrorMarker = Symbol.for('@agent-identity/agent-cli/CliError');

/**
 * A failure the CLI reports as one line on stderr. Bad usage exits 2, everything else 1; the
 * `cause` (and the stack) is shown only with `--debug`.
 */
export class CliError extends AgentIdentityError {
  declare readonly code: CliErrorCode;
  private readonly [cliErrorMarker] = true;

  constructor(code: CliErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'CliError';
  }

  get exitCode(): number {
    return this.code === 'USAGE' ? 2 : 1;
  }

  static override isInstance(value: unknown): value is CliError {
    return hasErrorMarker(value, cliErrorMarker);
  }
}

export function usageError(message: string): CliError {
  return new CliError('USAGE', message);
}
