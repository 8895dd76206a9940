import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, type Migration, type MigrationPlan, type MigrationSession } from '../src/index.js';

// One PGlite for the file (starting one is the slow part); each test gets a schema of its own.
let db: PGlite;
let schemas = 0;

beforeAll(async () => {
  db = await PGlite.create();
});

afterAll(async () => {
  await db.close();
});

/** A fresh, empty schema of the shared database, seen through the runner's session interface. */
async function database(): Promise<{ db: PGlite; session: MigrationSession }> {
  schemas += 1;
  await db.exec(`CREATE SCHEMA test_${schemas}; SET search_path TO test_${schemas};`);
  const session: MigrationSession = {
    query: async <Row>(text: string, params: readonly unknown[] = []) => (await db.query<Row>(text, [...params])).rows,
    execute: async (script) => {
      await db.exec(script);
    },
  };
  return { db, session };
}

const FIRST: Migration = { version: 1, name: 'notes', sql: 'CREATE TABLE notes (id integer PRIMARY KEY, body text);' };
const SECOND: Migration = { version: 2, name: 'note tags', sql: 'ALTER TABLE notes ADD COLUMN tag text;' };

function plan(...migrations: Migration[]): MigrationPlan {
  return { table: 'test_schema_migrations', migrations };
}

async function recorded(db: PGlite, table = 'test_schema_migrations'): Promise<{ version: number; name: string }[]> {
  return (await db.query<{ version: number; name: string }>(`SELECT version, name FROM ${table} ORDER BY version`))
    .rows;
}

async function tableExists(db: PGlite, name: string): Promise<boolean> {
  const { rows } = await db.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [name]);
  return rows[0]?.found !== null;
}

describe('applyMigrations', () => {
  it('applies every migration in version order on the first run and nothing on the next', async () => {
    const { db, session } = await database();
    // listed out of order: the second step needs the first one's table
    expect(await applyMigrations(session, plan(SECOND, FIRST))).toEqual([1, 2]);
    expect(await applyMigrations(session, plan(SECOND, FIRST))).toEqual([]);
    expect(await recorded(db)).toEqual([
      { version: 1, name: 'notes' },
      { version: 2, name: 'note tags' },
    ]);
    await db.query("INSERT INTO notes (id, body, tag) VALUES (1, 'hello', 'greeting')");
  });

  it('applies only the versions a database does not have yet', async () => {
    const { db, session } = await database();
    expect(await applyMigrations(session, plan(FIRST))).toEqual([1]);
    expect(await applyMigrations(session, plan(FIRST, SECOND))).toEqual([2]);
    expect((await recorded(db)).map((row) => row.version)).toEqual([1, 2]);
  });

  it('rolls a failing migration back whole, keeps the ones before it, and applies it once fixed', async () => {
    const { db, session } = await database();
    const broken: Migration = {
      version: 2,
      name: 'tags',
      sql: 'CREATE TABLE tags (id integer PRIMARY KEY); INSERT INTO no_such_table VALUES (1);',
    };
    await expect(applyMigrations(session, plan(FIRST, broken))).rejects.toThrow(/no_such_table/);
    expect(await recorded(db)).toEqual([{ version: 1, name: 'notes' }]);
    expect(await tableExists(db, 'notes')).toBe(true);
    expect(await tableExists(db, 'tags')).toBe(false);

    const fixed: Migration = { ...broken, sql: 'CREATE TABLE tags (id integer PRIMARY KEY);' };
    expect(await applyMigrations(session, plan(FIRST, fixed))).toEqual([2]);
    expect(await tableExists(db, 'tags')).toBe(true);
  });

  it('keeps the versions of each plan in its own table, so two packages can share a database', async () => {
    const { db, session } = await database();
    const other: MigrationPlan = {
      table: 'other_schema_migrations',
      migrations: [{ version: 1, name: 'other', sql: 'CREATE TABLE other_rows (id integer);' }],
    };
    expect(await applyMigrations(session, plan(FIRST))).toEqual([1]);
    expect(await applyMigrations(session, other)).toEqual([1]);
    expect(await recorded(db, 'other_schema_migrations')).toEqual([{ version: 1, name: 'other' }]);
    expect(await tableExists(db, 'other_rows')).toBe(true);
  });
});
