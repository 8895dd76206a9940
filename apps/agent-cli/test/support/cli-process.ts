import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTypeScriptSource, type SourceRun } from '@agent-identity/test-bed';

export type { SourceRun };

const appDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** A TypeScript file of the app (relative to it) as a child process, from source (no build needed). */
export function runSource(file: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<SourceRun> {
  return runTypeScriptSource(file, { cwd: appDir, args, env });
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
