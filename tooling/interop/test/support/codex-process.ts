import { delimiter } from 'node:path';
import { runChild, type ChildRun } from './child-run.js';
import type { CodexBinary } from './codex-binary.js';

/** Where a Codex process runs: its home (`CODEX_HOME`) and an empty working folder. */
export interface CodexPlace {
  readonly home: string;
  readonly workdir: string;
}

/** A Codex run, read: `codex exec` prints the final answer on stdout and its transcript and log on stderr. */
export interface CodexRun extends ChildRun {
  /** The thread's id (`session id: …` in the transcript), if Codex got that far. */
  readonly sessionId: string | undefined;
  /** Every log line at level ERROR (Codex logs to stderr, `WARN` and above unless `RUST_LOG` says more). */
  readonly errorLines: readonly string[];
}

/** Bounds each Codex process: a turn against the local backend takes a few seconds. */
const codexTimeoutMs = 60_000;

/**
 * Runs the Codex CLI (`codex <args>`) in `place` with an environment of its own: no API key or
 * proxy of the machine's leaks in, `HOME` is the working folder.
 */
export async function runCodex(
  binary: CodexBinary,
  args: readonly string[],
  place: CodexPlace,
  env: NodeJS.ProcessEnv = {},
): Promise<CodexRun> {
  const path = [binary.helpersPath, process.env.PATH]
    .filter((part) => part !== undefined && part !== '')
    .join(delimiter);
  const run = await runChild(binary.path, args, {
    cwd: place.workdir,
    env: { PATH: path, HOME: place.workdir, CODEX_HOME: place.home, ...env },
    timeoutMs: codexTimeoutMs,
  });
  return {
    ...run,
    sessionId: /^session id: (\S+)$/m.exec(run.stderr)?.[1],
    errorLines: run.stderr.split('\n').filter((line) => /\bERROR\b/.test(line)),
  };
}

/** `codex exec --skip-git-repo-check <prompt>`: one turn in a new thread. */
export function codexExec(
  binary: CodexBinary,
  place: CodexPlace,
  prompt: string,
  env?: NodeJS.ProcessEnv,
): Promise<CodexRun> {
  return runCodex(binary, ['exec', '--skip-git-repo-check', prompt], place, env);
}

/** `codex exec resume <session id> <prompt>`: one more turn in an existing thread. */
export function codexResume(
  binary: CodexBinary,
  place: CodexPlace,
  sessionId: string,
  prompt: string,
  env?: NodeJS.ProcessEnv,
): Promise<CodexRun> {
  return runCodex(binary, ['exec', '--skip-git-repo-check', 'resume', sessionId, prompt], place, env);
}
