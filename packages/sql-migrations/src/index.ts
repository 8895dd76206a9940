export { applyMigrations, type Migration, type MigrationPlan, type MigrationSession } from './apply-migrations.js';
export { pgClientSession, type PgQueryable } from './pg-client-session.js';
