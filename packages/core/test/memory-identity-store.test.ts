import { describeIdentityStoreConformance } from '@agent-identity/core/testing/conformance';
import { MemoryIdentityStore } from '../src/memory-identity-store.js';

describeIdentityStoreConformance('MemoryIdentityStore', () => Promise.resolve({ store: new MemoryIdentityStore() }));
