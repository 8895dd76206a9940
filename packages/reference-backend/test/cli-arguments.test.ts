import { describe, expect, it } from 'vitest';
import { parseCliArguments, parseUserSpec } from '../src/cli-arguments.js';

describe('parseCliArguments', () => {
  it('maps every flag to an option', () => {
    expect(
      parseCliArguments([
        '--host',
        '0.0.0.0',
        '--port',
        '8080',
        '--user',
        't1:a1:u1',
        '--user',
        't2:a2:u2',
        '--data-dir',
        'registry-data',
        '--path-prefix',
        '/backend-api',
      ]),
    ).toEqual({
      kind: 'serve',
      options: {
        host: '0.0.0.0',
        port: 8080,
        users: [
          { accessToken: 't1', accountId: 'a1', userId: 'u1' },
          { accessToken: 't2', accountId: 'a2', userId: 'u2' },
        ],
        dataDir: 'registry-data',
        pathPrefix: '/backend-api',
      },
    });
  });

  it('takes the database URL from --database-url or AGENT_IDENTITY_BACKEND_DATABASE_URL, never with --data-dir', () => {
    const url = 'postgres://registry:pw@127.0.0.1:5432/registry';
    expect(parseCliArguments(['--database-url', url])).toEqual({ kind: 'serve', options: { databaseUrl: url } });
    expect(parseCliArguments([], { AGENT_IDENTITY_BACKEND_DATABASE_URL: url })).toEqual({
      kind: 'serve',
      options: { databaseUrl: url },
    });
    expect(() => parseCliArguments(['--data-dir', 'registry-data', '--database-url', url])).toThrow(
      expect.objectContaining({ code: 'OPTIONS_INVALID' }),
    );
  });

  it('adds the users of AGENT_IDENTITY_BACKEND_USERS and takes the admin token from the environment', () => {
    expect(
      parseCliArguments(['--user', 't1:a1:u1', '--users-file', 'users.txt'], {
        AGENT_IDENTITY_BACKEND_USERS: '# comment\nt2:a2:u2\n\nt3:a3:u3\n',
        AGENT_IDENTITY_BACKEND_ADMIN_TOKEN: 'an-admin-token-0123',
      }),
    ).toEqual({
      kind: 'serve',
      usersFile: 'users.txt',
      options: {
        users: [
          { accessToken: 't1', accountId: 'a1', userId: 'u1' },
          { accessToken: 't2', accountId: 'a2', userId: 'u2' },
          { accessToken: 't3', accountId: 'a3', userId: 'u3' },
        ],
        adminToken: 'an-admin-token-0123',
      },
    });
  });

  it('gives defaults to the server when no flag is given', () => {
    expect(parseCliArguments([])).toEqual({ kind: 'serve', options: {} });
  });

  it.each([['--port', 'eighty'], ['--unknown'], ['positional']])('refuses %s', (...args) => {
    expect(() => parseCliArguments(args)).toThrow();
  });
});

describe('parseUserSpec', () => {
  it('keeps colons inside the token', () => {
    expect(parseUserSpec('a:b:c:account:user')).toEqual({ accessToken: 'a:b:c', accountId: 'account', userId: 'user' });
  });

  it.each(['token', 'token:account', ':account:user', 'token::user', 'token:account:'])('refuses %s', (spec) => {
    expect(() => parseUserSpec(spec)).toThrow('--user must be token:account:user');
  });
});
