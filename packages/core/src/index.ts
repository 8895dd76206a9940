export { CoreError, type CoreErrorCode, type CoreErrorOptions } from './runtime/errors.js';
export type { Login, ChatGptLogin, ApiKeyLogin } from './stores/login.js';
export type { AuthSource } from './stores/auth-source.js';
export type { IdentityStore } from './stores/identity-store.js';
export type { RolloutStore, NewestSessionState, CreateThreadOptions } from './stores/rollout-store.js';
export { silentLogger, type Logger } from './runtime/logger.js';
export { MemoryAuthSource } from './stores/memory-auth-source.js';
export { MemoryIdentityStore } from './stores/memory-identity-store.js';
export { MemoryRolloutStore, type MemoryRolloutStoreOptions } from './stores/memory-rollout-store.js';
export {
  createAgentIdentityRuntime,
  AgentIdentityRuntime,
  type StartThreadOptions,
  type ForkThreadOptions,
} from './runtime/runtime.js';
export { AgentThread, type TurnStart } from './thread/thread.js';
export { untilAborted, type AbortOptions } from './primitives/until-aborted.js';
export { NOT_LOGGED_IN } from './runtime/not-logged-in-notice.js';
export { agentTaskEquals, agentTaskOfWire, wireAgentTask, type AgentTask } from './thread/agent-task.js';
export { TurnAuth, type TurnAuthScheme, type TurnAuthHeaders } from './thread/turn-auth.js';
export type { TaskChangeListener } from './thread/thread-task-state.js';
export { StoredIdentity } from './identity/stored-identity.js';
export {
  DownstreamRequest,
  type DownstreamRequestThread,
  type RefusalDecision,
  type GiveUpReason,
} from './thread/downstream-request.js';
export type { RuntimeOptions, FetchFunction } from './runtime/options.js';
export type { TelemetryOptions } from '@agent-identity/protocol';
export {
  IdentityJwtVerifier,
  identityJwtSource,
  DEFAULT_JWKS_TIMEOUT_MS,
  type IdentityJwtOptions,
} from './identity/identity-jwt.js';
export {
  PROTOCOL_PROFILE_NAMES,
  protocolProfile,
  bootstrapUnavailableText,
  type ProtocolProfile,
  type ProtocolProfileName,
  type ProtocolErrorTexts,
  type RegistrationAuth,
  type RegistrationBase,
  type TaskScope,
  type BootstrapFailure,
} from './backend/protocol-profile.js';
export { globalTimers, type Timers } from './runtime/timers.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backend/retry-policy.js';
export type { BillOfMaterialsParts } from './identity/bill-of-materials.js';
export { deriveBinding, recordMatchesBinding, type AgentBinding } from './identity/binding.js';
export {
  DEFAULT_PRODUCT_NAME,
  identityRegistrationFailedEvent,
  taskRegistrationFailedEvent,
  type AgentIdentityEvent,
  type AgentIdentityErrorEvent,
  type AgentIdentityErrorEventCode,
  type AgentIdentityEventSink,
} from './runtime/events.js';
export { CORE_VERSION } from './runtime/version.js';
export { FileIdentityStore, type CodexLoginKeys, type FileIdentityStoreOptions } from './stores/file-identity-store.js';
export { writeCodexLogin, type CodexLogin, type WriteCodexLoginOptions } from './stores/codex-login.js';
export type { FileLockOptions } from './stores/file-lock.js';
export { AuthFileLoginSource, type AuthFileLoginSourceOptions } from './stores/auth-file-login-source.js';
export {
  FileRolloutStore,
  type FileRolloutStoreOptions,
  type RolloutThreadInfo,
  type RolloutStoreStats,
} from './stores/file-rollout-store.js';
export { rolloutRelativePath, parseRolloutFileName } from './stores/rollout-paths.js';
// The building blocks of core's own stores, for stores of other packages (a database) to keep
// the same rules: thread ids, the `session_meta` line, a reentrant lock, per-key ordering.
export { assertValidThreadId, isValidThreadId, threadExists, threadNotFound } from './stores/thread-id.js';
export { sessionMetaLine } from './stores/session-meta.js';
export { ReentrantLock } from './primitives/reentrant-lock.js';
export { KeyedSerialQueue, SerialQueue } from './primitives/serial-queue.js';
// One capped reader of HTTP bodies, for the adapters that read a downstream answer.
export {
  readCappedBody,
  type CappedBody,
  type CappedBodyOptions,
  type CappedBodyOverflow,
} from './primitives/capped-body.js';
