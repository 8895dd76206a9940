import { usageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { debugByEnvironment, parseInvocation, type Command } from './command.js';
import { assertCommand } from './commands/assert.js';
import { demoCommand } from './commands/demo.js';
import { identityCommand } from './commands/identity.js';
import { threadCommand } from './commands/thread.js';
import { turnCommand } from './commands/turn.js';
import { verifyCommand } from './commands/verify.js';
import { reportFailure } from './failure-report.js';

const COMMANDS: readonly Command[] = [
  demoCommand,
  identityCommand,
  threadCommand,
  turnCommand,
  assertCommand,
  verifyCommand,
];

export const MAIN_USAGE = `agent-cli — a sample agent runtime built on the agent-identity packages

Usage: agent-cli <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)}${command.summary}`).join('\n')}

Every command takes --home, --base-url, --responses-url, --no-agent-identity, --json, --debug,
--trace and --help (AGENT_IDENTITY_DEBUG=1 turns on --debug). Start with: agent-cli demo
`;

/** Runs one command line; resolves to the process exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const debug = args.includes('--debug') || debugByEnvironment(io.env);
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      (name === undefined ? io.stderr : io.stdout)(MAIN_USAGE);
      return name === undefined ? 2 : 0;
    }
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (command === undefined)
      throw usageError(`unknown command ${JSON.stringify(name)} (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
    const invocation = parseInvocation(command, args, io);
    if (invocation === 'help') {
      io.stdout(command.usage);
      return 0;
    }
    return await command.run(invocation);
  } catch (error) {
    return reportFailure(error, io, debug);
  }
}
