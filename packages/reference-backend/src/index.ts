export { startReferenceBackend, type ReferenceBackend } from './reference-backend.js';
export { DEMO_USER, type BackendUser, type ReferenceBackendOptions, type TaskIdAnswerForm } from './options.js';
export { ALICE, BOB, CAROL, TEST_USERS } from './test-users.js';
export type { IdentityJwtRequest, MintedIdentityJwt } from './identity-jwt-minting.js';
export { codexLoginTokens, type CodexLoginClaims, type CodexLoginRequest } from './codex-login-minting.js';
export type { JsonWebKeySet } from './identity-jwt-issuer.js';
export type { RegistrationProfile } from './registration-profile.js';
export { BackendAdmin } from './backend-admin.js';
export { BackendAdminClient, type BackendAdminClientOptions } from './backend-admin-client.js';
export { BackendError, type BackendErrorCode } from './backend-error.js';
export { Fault, FaultEndpoint, type PendingFault } from './faults.js';
export type { AgentRecord, TaskRecord, RegistryStoreKind } from '@agent-identity/registry';
export type { DownstreamRequestRecord } from './request-log.js';
export type {
  BackendCounters,
  DownstreamCounters,
  DownstreamTransport,
  ProfileRegistrationCounters,
} from './counters.js';
export { WS_CLOSE_MAX_AGE, WS_CLOSE_MAX_AGE_REASON, WS_CLOSE_SHUTDOWN } from './responses-websocket.js';
export {
  WS_CLOSE_IDLE,
  WS_CLOSE_IDLE_REASON,
  WS_CLOSE_TOO_MANY_REQUESTS,
  WS_HIGH_WATER_BYTES,
  type WebSocketRecord,
} from './responses-socket.js';
export { MAX_BODY_BYTES } from './json-body.js';
