import { AgentIdentityError, hasErrorMarker, type AgentIdentityErrorOptions } from '@agent-identity/protocol';

const apiBridgeErrorMarker = Symbol.for('@agent-identity/api-bridge/ApiBridgeError');

/** What went wrong between a downstream request and the thread's task (README: *ApiBridgeError*). */
export type ApiBridgeErrorCode =
  /** `thread.beginTurn()` could not register the thread's task. */
  | 'TASK_REGISTRATION_FAILED'
  /**
   * Refused with a code the wrapper heals (a new task, or a corrected clock), and healed; but the
   * body is a one-shot stream, so the request was not sent again.
   */
  | 'BODY_NOT_REPLAYABLE'
  /** The request sent again after a recovery was refused again with a code the wrapper heals. */
  | 'REFUSED_AFTER_RETRY'
  /** `createAgentFetch` was given no thread, or an option that cannot work; thrown when it is called. */
  | 'OPTIONS_INVALID';

/** An error of the API bridge. Messages name thread and task ids, never a header value or token. */
export class ApiBridgeError extends AgentIdentityError {
  declare readonly code: ApiBridgeErrorCode;
  private readonly [apiBridgeErrorMarker] = true;

  constructor(code: ApiBridgeErrorCode, message: string, options: AgentIdentityErrorOptions = {}) {
    super(code, message, options);
    this.name = 'ApiBridgeError';
  }

  static override isInstance(value: unknown): value is ApiBridgeError {
    return hasErrorMarker(value, apiBridgeErrorMarker);
  }
}
