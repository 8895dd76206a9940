export { describeRegistryStoreConformance, type RegistryStoreUnderTest } from './testing/registry-store-conformance.js';
