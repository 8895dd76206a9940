export { MemoryAuthSource } from './stores/memory-auth-source.js';
export { MemoryIdentityStore } from './stores/memory-identity-store.js';
export { MemoryRolloutStore, type MemoryRolloutStoreOptions } from './stores/memory-rollout-store.js';
export { ManualClock } from './testing/manual-clock.js';
export { CapturingLogger, type LogLine } from './testing/capturing-logger.js';
