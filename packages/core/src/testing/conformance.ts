// The suites call vitest's describe/it, so they live apart from `./testing`: the fakes there load
// without vitest installed.
export { describeIdentityStoreConformance, type IdentityStoreUnderTest } from './identity-store-conformance.js';
export { describeRolloutStoreConformance, type RolloutStoreUnderTest } from './rollout-store-conformance.js';
