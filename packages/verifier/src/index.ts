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
export {
  authorizeRequest,
  downstreamRejectionCode,
  type AssertionCaller,
  type AuthorizeRequestOptions,
  type BearerAuthenticator,
  type BearerCaller,
  type RequestAuthorization,
  type RequestCaller,
} from './authorize-request.js';
export { parseAuthorization, type AuthorizationCredentials } from './authorization-scheme.js';
export { LruCache } from './lru-cache.js';
