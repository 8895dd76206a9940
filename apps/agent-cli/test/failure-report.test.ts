import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error.js';
import { failureMessage, reportFailure } from '../src/failure-report.js';

function systemError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('failure reports', () => {
  it('append the connection error buried in the causes', () => {
    const fetchFailed = new TypeError('fetch failed', {
      cause: systemError('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
    });
    const sendFailed = new Error(
      'failed to send agent identity biscuit request to http://127.0.0.1:1/authenticate_app_v2',
      { cause: fetchFailed },
    );

    expect(failureMessage(sendFailed)).toBe(
      'failed to send agent identity biscuit request to http://127.0.0.1:1/authenticate_app_v2 (connect ECONNREFUSED 127.0.0.1:1)',
    );
    expect(failureMessage(new TypeError('fetch failed', { cause: new Error('bad port') }))).toBe(
      'fetch failed (bad port)',
    );
    expect(failureMessage(new Error('plain'))).toBe('plain');
  });

  it('exit 2 for bad usage, 1 for anything else; the stack only with --debug', () => {
    const written: string[] = [];
    const io = {
      stdout: () => undefined,
      stderr: (text: string) => written.push(text),
      env: {},
      self: { execPath: '', args: [] },
    };

    expect(reportFailure(new CliError('USAGE', 'turn: missing <message>'), io, false)).toBe(2);
    expect(reportFailure(new Error('boom'), io, false)).toBe(1);
    expect(written.join('')).toBe('agent-cli: turn: missing <message>\nRun with --help for usage.\nagent-cli: boom\n');
    reportFailure(new Error('boom'), io, true);
    expect(written.at(-1)).toMatch(/Error: boom\n\s+at /);
  });
});
