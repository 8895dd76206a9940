import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli-io.js';
import type { CliSession } from '../src/cli-session.js';
import { runAction, type CommandAction } from '../src/command-actions.js';
import { parseInvocation, type Command, type Invocation } from '../src/command.js';
import { tempHome } from './support/codex-home.js';

const silentIo: CliIo = {
  stdout: () => undefined,
  stderr: () => undefined,
  env: {},
  self: { execPath: process.execPath, args: [] },
};

const command: Command = { name: 'thing', summary: '', usage: '', options: {}, run: () => Promise.resolve(0) };

function invocationOf(args: readonly string[], home: string): Invocation {
  const invocation = parseInvocation(command, [...args, '--home', home], silentIo);
  if (invocation === 'help') throw new Error('not a help request');
  return invocation;
}

/** Two actions that record what they were given. */
function recordingActions(): { actions: Record<string, CommandAction>; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const record =
    (exitCode: number): CommandAction['run'] =>
    (session: CliSession, invocation, positionals) => {
      calls.push([typeof session.agent.runtime.startThread, invocation.positionals, positionals]);
      return Promise.resolve(exitCode);
    };
  return {
    actions: { open: { positionals: [], run: record(3) }, show: { positionals: ['id', 'part'], run: record(0) } },
    calls,
  };
}

describe('runAction', () => {
  it('runs the named action in a session with the positionals after its name, and answers its exit code', async () => {
    await using home = await tempHome();
    const { actions, calls } = recordingActions();

    expect(await runAction('thing', actions, invocationOf(['open'], home.path))).toBe(3);
    expect(await runAction('thing', actions, invocationOf(['show', 'a', 'b'], home.path))).toBe(0);
    expect(calls).toEqual([
      ['function', ['open'], []],
      ['function', ['show', 'a', 'b'], ['a', 'b']],
    ]);
  });

  it.each([
    [[], 'thing: missing action (open or show)'],
    [['close'], 'thing: unknown action "close"'],
    [['show', 'a'], 'thing show: missing <part>'],
    [['open', 'extra'], 'thing open: unexpected argument "extra"'],
  ])('%j is a USAGE error, and runs nothing', async (args, message) => {
    await using home = await tempHome();
    const { actions, calls } = recordingActions();

    await expect(runAction('thing', actions, invocationOf(args, home.path))).rejects.toMatchObject({
      code: 'USAGE',
      message,
    });
    expect(calls).toEqual([]);
  });
});
