import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real CLI as a child process, from its TypeScript source (no build needed). */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@agent-identity/source', 'src/cli.ts', ...args], {
    cwd: appDir,
    env: { ...process.env, CODEX_HOME: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** `runCli` with `--json`, its stdout parsed; fails the test with stderr when it exits non-zero. */
export async function runCliJson(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  const run = await runCli([...args, '--json'], env);
  if (run.code !== 0) throw new Error(`agent-cli ${args.join(' ')} exited with ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown;
}

/** A stack trace line, which the CLI must not print without --debug. */
export const STACK_LINE = /^\s+at .+/m;
