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
  --data-file <path>            persist agents and tasks in this JSON file
  --path-prefix <prefix>        prefix of the printed base URL, e.g. /backend-api
  --auth-api-path-prefix <p>    prefix of the AuthAPI routes (default /api/accounts)
  --help                        show this text

Environment:
  AGENT_IDENTITY_BACKEND_USERS        users, token:account:user separated by newlines
  AGENT_IDENTITY_BACKEND_ADMIN_TOKEN  the bearer token /_admin requires (at least 16 characters).
                                      Listening beyond loopback without one, a random token is
                                      made and printed on stderr at start.
`;

/** Environment variables the CLI reads (see {@link CLI_USAGE}). */
export const USERS_ENV = 'AGENT_IDENTITY_BACKEND_USERS';
export const ADMIN_TOKEN_ENV = 'AGENT_IDENTITY_BACKEND_ADMIN_TOKEN';

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
        'data-file': { type: 'string' },
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
  if (values['data-file'] !== undefined) options.dataFile = values['data-file'];
  if (values['path-prefix'] !== undefined) options.pathPrefix = values['path-prefix'];
  if (values['auth-api-path-prefix'] !== undefined) options.authApiPathPrefix = values['auth-api-path-prefix'];
  const adminToken = env[ADMIN_TOKEN_ENV];
  if (adminToken !== undefined && adminToken !== '') options.adminToken = adminToken;
  const usersFile = values['users-file'];
  return usersFile === undefined ? { kind: 'serve', options } : { kind: 'serve', options, usersFile };
}
