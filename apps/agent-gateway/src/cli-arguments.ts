import { parseArgs } from 'node:util';
import { GatewayError } from './gateway-error.js';

/** What `agent-gateway` was asked to do (README: *Running it*). */
export interface GatewaySettings {
  readonly upstream: string;
  readonly upstreamAuthorization: string;
  readonly adminUrl: string;
  readonly adminToken: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly maxStalenessMs: number | undefined;
  /** Read agents and tasks from this PostgreSQL registry (the backend's `--database-url`), not the admin API. */
  readonly databaseUrl: string | undefined;
}

export const UPSTREAM_AUTHORIZATION_VARIABLE = 'AGENT_GATEWAY_UPSTREAM_AUTHORIZATION';
export const ADMIN_TOKEN_VARIABLE = 'AGENT_IDENTITY_BACKEND_ADMIN_TOKEN';
export const DATABASE_URL_VARIABLE = 'AGENT_GATEWAY_DATABASE_URL';

export const USAGE = `Usage: agent-gateway --upstream <url> [--admin-url <url>] [--host <host>] [--port <port>] [--max-staleness-ms <ms>]
       [--database-url <postgres://…>]

Verifies the AgentAssertion of every request and forwards it to <url>/v1/responses (HTTP and
WebSocket) with the gateway's own credential: the Authorization value in $${UPSTREAM_AUTHORIZATION_VARIABLE}.
Agents and tasks are read from the reference backend's admin API at --admin-url (default: the
upstream's origin; its token, if any, in $${ADMIN_TOKEN_VARIABLE}). With --database-url (or
$${DATABASE_URL_VARIABLE}, which keeps a password out of \`ps\`), requests are verified against the
backend's PostgreSQL registry instead: point lookups, cached, dropped by its revocation notices;
the dashboard still lists and revokes through the admin API. Prints the gateway's URL; the
dashboard is at <that URL>/_gateway/.`;

function integer(name: string, text: string | undefined, fallback: number | undefined): number | undefined {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new GatewayError('OPTIONS_INVALID', `--${name} must be a non-negative integer`);
  return value;
}

/** Reads the command line and the environment; throws `OPTIONS_INVALID` with the reason. */
export function parseGatewayArguments(argv: readonly string[], env: NodeJS.ProcessEnv): GatewaySettings {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        upstream: { type: 'string' },
        'admin-url': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'max-staleness-ms': { type: 'string' },
        'database-url': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new GatewayError('OPTIONS_INVALID', error instanceof Error ? error.message : String(error));
  }
  const { upstream } = values;
  if (upstream === undefined) throw new GatewayError('OPTIONS_INVALID', '--upstream is required');
  const upstreamAuthorization = env[UPSTREAM_AUTHORIZATION_VARIABLE];
  if (upstreamAuthorization === undefined || upstreamAuthorization === '') {
    throw new GatewayError(
      'OPTIONS_INVALID',
      `$${UPSTREAM_AUTHORIZATION_VARIABLE} must hold the upstream's Authorization value`,
    );
  }
  return {
    upstream,
    upstreamAuthorization,
    adminUrl: values['admin-url'] ?? upstream,
    adminToken: env[ADMIN_TOKEN_VARIABLE] === '' ? undefined : env[ADMIN_TOKEN_VARIABLE],
    host: values.host ?? '127.0.0.1',
    port: integer('port', values.port, 0) ?? 0,
    maxStalenessMs: integer('max-staleness-ms', values['max-staleness-ms'], undefined),
    databaseUrl: values['database-url'] ?? (env[DATABASE_URL_VARIABLE] || undefined),
  };
}
