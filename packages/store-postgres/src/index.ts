export { PostgresIdentityStore, type PostgresIdentityStoreOptions } from './postgres-identity-store.js';
export {
  PostgresRolloutStore,
  type PostgresRolloutStoreOptions,
  type PostgresThreadInfo,
} from './postgres-rollout-store.js';
export { migrate } from './migrations.js';
export {
  importCodexHome,
  exportCodexHome,
  type CodexHomeTransferOptions,
  type CodexHomeTransfer,
} from './codex-home-transfer.js';
