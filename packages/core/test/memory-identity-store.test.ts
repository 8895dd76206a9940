import { describeIdentityStoreConformance } from '@agent-identity/core/testing';
import { MemoryIdentityStore } from '../src/stores/memory-identity-store.js';

describeIdentityStoreConformance('MemoryIdentityStore', () => Promise.resolve({ store: new MemoryIdentityStore() }));
