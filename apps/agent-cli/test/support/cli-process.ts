import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** How a child process ended: its exit code and everything it printed. */
export interface SourceRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A TypeScript file of the app (relative to it) as a child process, from source (no build needed). */
export async function runSource(
  file: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<SourceRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@agent-identity/source', file, ...args], {
    cwd: appDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** The real CLI as a child process, from its TypeScript source; no Codex home unless `env` names one. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<SourceRun> {
  return runSource('src/cli.ts', args, { CODEX_HOME: '', ...env });
}

/** `runCli` with `--json`, its stdout parsed; fails the test with stderr when it exits non-zero. */
export async function runCliJson(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  const run = await runCli([...args, '--json'], env);
  if (run.code !== 0) throw new Error(`agent-cli ${args.join(' ')} exited with ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown;
}

/** A stack trace line, which the CLI must not print without --debug. */
export const STACK_LINE = /^\s+at .+/m;
