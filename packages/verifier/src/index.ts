export { AgentVerifier, createAgentVerifier, type TaskRegistrationClaims } from './agent-verifier.js';
export type { AgentVerifierOptions } from './verifier-options.js';
export type { AgentKeyRegistry, TaskRegistry, TaskStatus } from './registries.js';
export type {
  AssertionRejectionReason,
  AssertionVerification,
  TaskRegistrationRejectionReason,
  TaskRegistrationVerification,
  VerificationResult,
  VerifiedAssertion,
  VerifiedTaskRegistration,
} from './verification-result.js';
export { VerifierError, type VerifierErrorCode } from './verifier-error.js';
