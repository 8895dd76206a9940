import { spawn } from 'node:child_process';

export interface CommandOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface CommandOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The failure of a command whose exit code was not 0; carries its output for the report. */
export class CommandFailedError extends Error {
  readonly output: CommandOutput;

  constructor(commandLine: string, output: CommandOutput) {
    super(`\`${commandLine}\` exited with ${output.exitCode}\n${output.stdout}${output.stderr}`.trimEnd());
    this.name = 'CommandFailedError';
    this.output = output;
  }
}

/**
 * Runs a program (no shell, so arguments need no quoting) and collects its output, whatever its
 * exit code: some tools (attw) answer through the exit code and stdout together.
 */
export function runCommandForOutput(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        exitCode: code ?? (signal === null ? 1 : 128),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/** Runs a program and answers its stdout; a non-zero exit is a `CommandFailedError`. */
export async function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<string> {
  const output = await runCommandForOutput(command, args, options);
  if (output.exitCode !== 0) throw new CommandFailedError([command, ...args].join(' '), output);
  return output.stdout;
}
