/** Why an `AgentAssertion` header was refused (SPEC §4.7; README: the rules, step by step). */
export type AssertionRejectionReason =
  'malformed' | 'unknown_agent' | 'unknown_task' | 'task_invalid' | 'bad_signature' | 'expired' | 'from_future';

/** Why a task registration's signature was refused (README: the rules, step by step). */
export type TaskRegistrationRejectionReason = Exclude<AssertionRejectionReason, 'unknown_task' | 'task_invalid'>;

/** A proven caller: which agent, which task, and the signed time. */
export interface VerifiedAssertion {
  agentRuntimeId: string;
  taskId: string;
  /** The signed RFC 3339 UTC timestamp, to the second. */
  timestamp: string;
  /** The same instant in epoch milliseconds. */
  epochMs: number;
}

export interface VerifiedTaskRegistration {
  agentRuntimeId: string;
  timestamp: string;
  epochMs: number;
}

/**
 * The outcome of one verification. `message` is for logs and error bodies: it may name a runtime
 * or task id, never a header, signature or key.
 */
export type VerificationResult<Identity, Reason extends string> =
  { ok: true; identity: Identity } | { ok: false; reason: Reason; message: string };

export type AssertionVerification = VerificationResult<VerifiedAssertion, AssertionRejectionReason>;
export type TaskRegistrationVerification = VerificationResult<
  VerifiedTaskRegistration,
  TaskRegistrationRejectionReason
>;

export interface Rejection<Reason extends string> {
  ok: false;
  reason: Reason;
  message: string;
}

export function reject<Reason extends string>(reason: Reason, message: string): Rejection<Reason> {
  return { ok: false, reason, message };
}
