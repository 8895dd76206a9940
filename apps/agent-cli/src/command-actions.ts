import { usageError } from './cli-error.js';
import { withSession, type CliSession } from './cli-session.js';
import { requirePositionals, type Invocation } from './command.js';

/** One action of a command that has several (`thread start`, `identity show`). */
export interface CommandAction {
  /** The names of the positional arguments after the action's name, as the usage error shows them. */
  readonly positionals: readonly string[];
  /** Runs in a session that is closed afterwards; resolves to the exit code. */
  run(session: CliSession, invocation: Invocation, positionals: readonly string[]): Promise<number>;
}

/** `a, b or c`: how a usage error lists the actions. */
function listOf(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
}

/**
 * Runs the action the first positional names, with exactly its positionals after it; a missing or
 * unknown action, or a wrong count of positionals, is a `USAGE` error naming what was expected.
 */
export async function runAction(
  command: string,
  actions: Readonly<Record<string, CommandAction>>,
  invocation: Invocation,
): Promise<number> {
  const [name, ...rest] = invocation.positionals;
  if (name === undefined) throw usageError(`${command}: missing action (${listOf(Object.keys(actions))})`);
  const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
  if (action === undefined) throw usageError(`${command}: unknown action ${JSON.stringify(name)}`);
  const positionals = requirePositionals(
    { ...invocation, positionals: rest },
    action.positionals,
    `${command} ${name}`,
  );
  return await withSession(invocation, (session) => action.run(session, invocation, positionals));
}
