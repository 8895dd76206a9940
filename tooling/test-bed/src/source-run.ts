import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** How a child process ended: its exit code and everything it printed. */
export interface SourceRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A TypeScript file run from source as a child process (`tsx`, workspace packages resolved to
 * their source), `file` relative to `cwd`; resolves once it exits, with its output.
 */
export async function runTypeScriptSource(
  file: string,
  options: { readonly cwd: string; readonly args?: readonly string[]; readonly env?: NodeJS.ProcessEnv },
): Promise<SourceRun> {
  const args = ['--import', 'tsx', '--conditions=@agent-identity/source', file, ...(options.args ?? [])];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
