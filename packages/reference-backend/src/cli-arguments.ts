import { parseArgs } from 'node:util';
import { BackendError } from './backend-error.js';
import type { BackendUser, ReferenceBackendOptions } from './options.js';

export const CLI_USAGE = `Usage: agent-identity-backend [options]

Runs the agent-identity reference backend and prints its base URL once it listens.

Options:
  --host <host>                 interface to listen on (default 127.0.0.1)
  --port <port>                 port to listen on (default 0: any free port)
  --user <token:account:user>   a user; repeatable (default: the demo user)
  --data-file <path>            persist agents and tasks in this JSON file
  --path-prefix <prefix>        prefix of the printed base URL, e.g. /backend-api
  --help                        show this text
`;

export type CliCommand = { kind: 'help' } | { kind: 'serve'; options: ReferenceBackendOptions };

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

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text)) throw usageError('--port must be a number from 0 to 65535');
  return Number(text);
}

/** The command line (without `node` and the script) → what to do. */
export function parseCliArguments(args: readonly string[]): CliCommand {
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
        'data-file': { type: 'string' },
        'path-prefix': { type: 'string' },
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
  if (values.user !== undefined) options.users = values.user.map(parseUserSpec);
  if (values['data-file'] !== undefined) options.dataFile = values['data-file'];
  if (values['path-prefix'] !== undefined) options.pathPrefix = values['path-prefix'];
  return { kind: 'serve', options };
}
