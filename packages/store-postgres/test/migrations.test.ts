import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, PostgresIdentityStore, PostgresRolloutStore } from '../src/index.js';
import { MIGRATIONS } from '../src/migrations.js';
import { createFreshDatabase, type FreshDatabase } from '@agent-identity/postgres-server/fresh-database';

let database: FreshDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

async function appliedVersions(pool: pg.Pool): Promise<number[]> {
  const { rows } = await pool.query<{ version: number }>(
    'SELECT version FROM agent_identity_schema_migrations ORDER BY version',
  );
  return rows.map((row) => row.version);
}

describe('migrations', () => {
  it('the first run applies every version in order; later runs apply nothing', async () => {
    database = await createFreshDatabase();
    const every = MIGRATIONS.map((migration) => migration.version);
    expect(await migrate(database.pool)).toEqual(every);
    expect(await migrate(database.pool)).toEqual([]);
    expect(await appliedVersions(database.pool)).toEqual(every);
  });

  it('opening both stores on a migrated database changes nothing', async () => {
    database = await createFreshDatabase();
    await PostgresRolloutStore.open({ pool: database.pool });
    const rollouts = await PostgresRolloutStore.open({ pool: database.pool });
    await PostgresIdentityStore.open({ pool: database.pool });
    await rollouts.createThread('thread-1');
    expect(await rollouts.hasThread('thread-1')).toBe(true);
    expect(await appliedVersions(database.pool)).toEqual(MIGRATIONS.map((migration) => migration.version));
  });

  it('sessions starting together: each version is applied by exactly one of them', async () => {
    database = await createFreshDatabase();
    const { connection } = database;
    const pools = Array.from({ length: 6 }, () => new pg.Pool({ ...connection, max: 2 }));
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool)));
      expect(results.flat().sort()).toEqual(MIGRATIONS.map((migration) => migration.version));
      expect(results.filter((applied) => applied.length > 0)).toHaveLength(1);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
    expect(await appliedVersions(database.pool)).toEqual(MIGRATIONS.map((migration) => migration.version));
  });

  it('versions are unique and ascending (a shipped migration is never reordered)', () => {
    const versions = MIGRATIONS.map((migration) => migration.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });
});
