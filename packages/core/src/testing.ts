export { MemoryAuthSource } from './memory-auth-source.js';
export { MemoryIdentityStore } from './memory-identity-store.js';
export { MemoryRolloutStore, type MemoryRolloutStoreOptions } from './memory-rollout-store.js';
export { ManualClock } from './testing/manual-clock.js';
export { CapturingLogger, type LogLine } from './testing/capturing-logger.js';
