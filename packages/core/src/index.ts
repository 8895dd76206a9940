export { CoreError, type CoreErrorCode, type CoreErrorOptions } from './errors.js';
export type { Login, ChatGptLogin, ApiKeyLogin } from './login.js';
export type { AuthSource } from './auth-source.js';
export type { IdentityStore } from './identity-store.js';
export type { RolloutStore, NewestSessionState, CreateThreadOptions } from './rollout-store.js';
export { silentLogger, type Logger } from './logger.js';
export { MemoryAuthSource } from './memory-auth-source.js';
export { MemoryIdentityStore } from './memory-identity-store.js';
export { MemoryRolloutStore, type MemoryRolloutStoreOptions } from './memory-rollout-store.js';
