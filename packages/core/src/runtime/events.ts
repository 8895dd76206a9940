/**
 * What the runtime tells the host app (SPEC §4.5 step 3, §4.6). Only failures are reported:
 * prewarm and successful registrations emit nothing.
 */
export type AgentIdentityEvent = AgentIdentityErrorEvent;

export type AgentIdentityErrorEventCode = 'IDENTITY_REGISTRATION_FAILED' | 'TASK_REGISTRATION_FAILED';

export interface AgentIdentityErrorEvent {
  readonly type: 'error';
  readonly threadId: string;
  readonly code: AgentIdentityErrorEventCode;
  /** The SPEC text, shown to the user as it is. */
  readonly message: string;
  /** The error that caused it (its message is the `{error}` part of `message`). */
  readonly cause: unknown;
}

/** Receives the runtime's events; a sink that throws is logged, never propagated. */
export type AgentIdentityEventSink = (event: AgentIdentityEvent) => void;

/** The product named in the turn error text (SPEC §4.6 lets the host app choose it). */
export const DEFAULT_PRODUCT_NAME = 'Codex';

export function identityRegistrationFailedEvent(threadId: string, error: unknown): AgentIdentityErrorEvent {
  return {
    type: 'error',
    threadId,
    code: 'IDENTITY_REGISTRATION_FAILED',
    message: `Agent identity registration failed while \`features.use_agent_identity\` is enabled: ${errorText(error)}`,
    cause: error,
  };
}

export function taskRegistrationFailedEvent(
  threadId: string,
  error: unknown,
  productName: string = DEFAULT_PRODUCT_NAME,
): AgentIdentityErrorEvent {
  return {
    type: 'error',
    threadId,
    code: 'TASK_REGISTRATION_FAILED',
    message: `Agent task registration failed. Please try again; ${productName} will attempt to register the task again on the next turn: ${errorText(error)}`,
    cause: error,
  };
}

/** The `{error}` of the SPEC texts: the error's own message (ours never contain secrets). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
