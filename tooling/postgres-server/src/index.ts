export {
  startPostgres,
  type PostgresServerAddress,
  type PostgresServerOptions,
  type RunningPostgres,
} from './postgres-server.js';
