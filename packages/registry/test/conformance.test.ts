import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createFreshDatabase } from '@agent-identity/postgres-server/fresh-database';
import {
  MemoryRegistryStore,
  PgliteDatabase,
  PostgresDatabase,
  SqlRegistryStore,
  type SqlDatabase,
} from '../src/index.js';
import { describeRegistryStoreConformance } from '../src/testing.js';

describeRegistryStoreConformance('MemoryRegistryStore', () => Promise.resolve({ store: new MemoryRegistryStore() }));

// A new PGlite folder takes seconds to initialize: the PGlite tests share one, emptied before each.
const pgliteFolder = mkdtemp(join(tmpdir(), 'registry-pglite-'));
let sharedPglite: Promise<PgliteDatabase> | undefined;

/** The shared database, through a view whose `close()` leaves it open for the next test. */
function keptOpen(database: SqlDatabase): SqlDatabase {
  return {
    kind: database.kind,
    query: (text, params) => database.query(text, params),
    execute: (script) => database.execute(script),
    exclusive: (name, work) => database.exclusive(name, work),
    transaction: (work) => database.transaction(work),
    listen: (channel, onPayload, onGap) => database.listen(channel, onPayload, onGap),
    close: () => Promise.resolve(),
  };
}

afterAll(async () => {
  await (await sharedPglite)?.close();
  await rm(await pgliteFolder, { recursive: true, force: true });
});

describeRegistryStoreConformance('SqlRegistryStore on PGlite', async () => {
  sharedPglite ??= pgliteFolder.then((folder) => PgliteDatabase.open(folder));
  const store = await SqlRegistryStore.open(keptOpen(await sharedPglite));
  await store.clear();
  return { store };
});

describeRegistryStoreConformance('SqlRegistryStore on PostgreSQL', async () => {
  const database = await createFreshDatabase(2);
  const open = async (): Promise<SqlRegistryStore> =>
    SqlRegistryStore.open(new PostgresDatabase(database.connection, { poolSize: 4 }));
  return { store: await open(), openPeer: open, cleanup: database.drop };
});
