import {
  describeIdentityStoreConformance,
  describeRolloutStoreConformance,
} from '@agent-identity/core/testing/conformance';
import { PostgresIdentityStore, PostgresRolloutStore } from '../src/index.js';
import { createFreshDatabase } from '@agent-identity/postgres-server/fresh-database';

describeIdentityStoreConformance('PostgresIdentityStore', async () => {
  const database = await createFreshDatabase();
  return { store: await PostgresIdentityStore.open({ pool: database.pool }), cleanup: database.drop };
});

describeRolloutStoreConformance('PostgresRolloutStore', async () => {
  const database = await createFreshDatabase();
  const store = await PostgresRolloutStore.open({ pool: database.pool });
  return { store, readLines: (threadId) => store.lines(threadId), cleanup: database.drop };
});
