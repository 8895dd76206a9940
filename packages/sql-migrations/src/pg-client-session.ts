import type { MigrationSession } from './apply-migrations.js';

/** The part of a `pg` client (or pool) a session needs; structural, so this package needs no `pg`. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A `pg` client as a session: rows of parameterised queries, and scripts sent as one simple query. */
export function pgClientSession(client: PgQueryable): MigrationSession {
  return {
    query: async <Row>(text: string, params: readonly unknown[] = []) =>
      (await client.query(text, [...params])).rows as Row[],
    execute: async (script) => {
      await client.query(script);
    },
  };
}
