export { CoreError, type CoreErrorCode, type CoreErrorOptions } from './errors.js';
export type { Login, ChatGptLogin, ApiKeyLogin } from './login.js';
export type { AuthSource } from './auth-source.js';
export type { IdentityStore } from './identity-store.js';
export type { RolloutStore, NewestSessionState, CreateThreadOptions } from './rollout-store.js';
export { silentLogger, type Logger } from './logger.js';
export { MemoryAuthSource } from './memory-auth-source.js';
export { MemoryIdentityStore } from './memory-identity-store.js';
export { MemoryRolloutStore, type MemoryRolloutStoreOptions } from './memory-rollout-store.js';
export {
  createAgentIdentityRuntime,
  AgentIdentityRuntime,
  type StartThreadOptions,
  type ForkThreadOptions,
} from './runtime.js';
export { AgentThread, type TurnStart } from './thread.js';
export { TurnAuth, type TurnAuthScheme, type TurnAuthHeaders } from './turn-auth.js';
export type { TaskChangeListener } from './thread-task-state.js';
export { StoredIdentity } from './stored-identity.js';
export {
  DownstreamRequest,
  type DownstreamRequestThread,
  type RefusalDecision,
  type GiveUpReason,
} from './downstream-request.js';
export type { RuntimeOptions, FetchFunction } from './options.js';
export {
  IdentityJwtVerifier,
  identityJwtSource,
  DEFAULT_JWKS_TIMEOUT_MS,
  type IdentityJwtOptions,
} from './identity-jwt.js';
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
} from './protocol-profile.js';
export { globalTimers, type Timers } from './timers.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
export type { BillOfMaterialsParts } from './bill-of-materials.js';
export { deriveBinding, recordMatchesBinding, type AgentBinding } from './binding.js';
export {
  DEFAULT_PRODUCT_NAME,
  identityRegistrationFailedEvent,
  taskRegistrationFailedEvent,
  type AgentIdentityEvent,
  type AgentIdentityErrorEvent,
  type AgentIdentityErrorEventCode,
  type AgentIdentityEventSink,
} from './events.js';
export { CORE_VERSION } from './version.js';
export { FileIdentityStore, type FileIdentityStoreOptions } from './file-identity-store.js';
export type { FileLockOptions } from './file-lock.js';
export { AuthFileLoginSource, type AuthFileLoginSourceOptions } from './auth-file-login-source.js';
export {
  FileRolloutStore,
  type FileRolloutStoreOptions,
  type RolloutThreadInfo,
  type RolloutStoreStats,
} from './file-rollout-store.js';
export { rolloutRelativePath, parseRolloutFileName } from './rollout-paths.js';
// The building blocks of core's own stores, for stores of other packages (a database) to keep
// the same rules: thread ids, the `session_meta` line, a reentrant lock, per-key ordering.
export { assertValidThreadId, isValidThreadId, threadExists, threadNotFound } from './thread-id.js';
export { sessionMetaLine } from './session-meta.js';
export { ReentrantLock } from './reentrant-lock.js';
export { KeyedSerialQueue, SerialQueue } from './serial-queue.js';
