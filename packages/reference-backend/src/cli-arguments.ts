import { parseArgs } from 'node:util';
import { BackendError } from './backend-error.js';
import type { BackendUser, ReferenceBackendOptions } from './options.js';

export const CLI_USAGE = `Usage: agent-identity-backend [options]

Runs the agent-identity reference backend and prints its base URL once it listens.

Options:
  --host <host>                 interface to listen on (default 127.0.0.1)
  --port <port>                 port to listen on (default 0: any free port)
  --user <token:account:user>   a user; repeatable (default: the demo user). Command lines are
                                visible to every local user (ps): prefer --users-file or
                                AGENT_IDENTITY_BACKEND_USERS for real tokens
  --users-file <path>           users, one token:account:user per line (# comments)
  --data-dir <dir>              keep agents, tasks and biscuits in PGlite (embedded PostgreSQL)
                                in this folder, so they survive restarts
  --database-url <url>          keep them on a PostgreSQL server, postgres://user:pass@host/db:
                                every backend on the same database shares them (the URL is visible
                                in ps: prefer AGENT_IDENTITY_BACKEND_DATABASE_URL)
  --path-prefix <prefix>        prefix of the printed base URL, e.g. /backend-api
  --auth-api-path-prefix <p>    prefix of the AuthAPI routes (default /api/accounts)
  --help                        show this text

Environment:
  AGENT_IDENTITY_BACKEND_USERS        users, token:account:user separated by newlines
  AGENT_IDENTITY_BACKEND_DATABASE_URL the PostgreSQL server, as --database-url
  AGENT_IDENTITY_BACKEND_ADMIN_TOKEN  the bearer token /_admin requires (at least 16 characters).
                                      Listening beyond loopback without one, a random token is
                                      made and printed on stderr at start.
`;

/** Environment variables the CLI reads (see {@link CLI_USAGE}). */
export const USERS_ENV = 'AGENT_IDENTITY_BACKEND_USERS';
export const ADMIN_TOKEN_ENV = 'AGENT_IDENTITY_BACKEND_ADMIN_TOKEN';
export const DATABASE_URL_ENV = 'AGENT_IDENTITY_BACKEND_DATABASE_URL';

/** What to do; `usersFile` is read by the CLI before it starts the backend (its users join `options.users`). */
export type CliCommand = { kind: 'help' } | { kind: 'serve'; options: ReferenceBackendOptions; usersFile?: string };

function usageError(message: string): BackendError {
  return new BackendError('OPTIONS_INVALID', message);
}

/** `token:account:user`; the token is everything before the last two colons. */
export function parseUserSpec(spec: string): BackendUser {
  const userColon = spec.lastIndexOf(':');
  const accountColon = userColon <= 0 ? -1 : spec.lastIndexOf(':', userColon - 1);
  const user = {
    accessToken: accountColon <= 0 ? '' : spec.slice(0, accountColon),
    accountId: spec.slice(accountColon + 1, userColon),
    userId: spec.slice(userColon + 1),
  };
  if (accountColon <= 0 || user.accountId === '' || user.userId === '') {
    // The spec holds an access token: never repeat it in the message.
    throw usageError('--user must be token:account:user with all three parts non-empty');
  }
  return user;
}

/** Users from a file or an environment variable: one spec per line, blank lines and `#` comments skipped. */
export function parseUserLines(text: string): BackendUser[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(parseUserSpec);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text)) throw usageError('--port must be a number from 0 to 65535');
  return Number(text);
}

/** The command line (without `node` and the script) and the environment → what to do. */
export function parseCliArguments(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        user: { type: 'string', multiple: true },
        'users-file': { type: 'string' },
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        'path-prefix': { type: 'string' },
        'auth-api-path-prefix': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : 'invalid arguments');
  }
  if (values.help === true) return { kind: 'help' };
  const options: ReferenceBackendOptions = {};
  if (values.host !== undefined) options.host = values.host;
  const port = parsePort(values.port);
  if (port !== undefined) options.port = port;
  const users = [...(values.user ?? []).map(parseUserSpec), ...parseUserLines(env[USERS_ENV] ?? '')];
  if (users.length > 0) options.users = users;
  if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
  const databaseUrl = values['database-url'] ?? nonEmpty(env[DATABASE_URL_ENV]);
  if (databaseUrl !== undefined) options.databaseUrl = databaseUrl;
  if (options.dataDir !== undefined && options.databaseUrl !== undefined) {
    throw usageError('--data-dir and --database-url exclude each other');
  }
  if (values['path-prefix'] !== undefined) options.pathPrefix = values['path-prefix'];
  if (values['auth-api-path-prefix'] !== undefined) options.authApiPathPrefix = values['auth-api-path-prefix'];
  const adminToken = env[ADMIN_TOKEN_ENV];
  if (adminToken !== undefined && adminToken !== '') options.adminToken = adminToken;
  const usersFile = values['users-file'];
  return usersFile === undefined ? { kind: 'serve', options } : { kind: 'serve', options, usersFile };
}
