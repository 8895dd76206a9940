import { spawn, type ChildProcess } from 'node:child_process';

/** How a child process ended: its exit code (or the signal that ended it) and everything it printed. */
export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and how long a child runs. */
export interface ChildRunOptions {
  /** The child's working folder. */
  readonly cwd: string;
  /** Its whole environment (nothing is inherited that is not named here). */
  readonly env: NodeJS.ProcessEnv;
  /** Killed with SIGKILL after this long; the run then fails with what it printed so far. */
  readonly timeoutMs: number;
}

const running = new Set<ChildProcess>();

/**
 * Runs `command` to its end with stdin closed, bounded in time: a child that outlives `timeoutMs`
 * is killed and the promise rejects with its output. {@link killRunningChildren} ends the rest.
 */
export async function runChild(command: string, args: readonly string[], options: ChildRunOptions): Promise<ChildRun> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const deadline = { passed: false };
  const timer = setTimeout(() => {
    deadline.passed = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode: number | null, exitSignal: NodeJS.Signals | null) => {
        resolve([exitCode, exitSignal]);
      });
    });
    if (deadline.passed)
      throw new Error(
        `${command} ${args.join(' ')} ran longer than ${options.timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`,
      );
    return { code, signal, stdout, stderr };
  } finally {
    clearTimeout(timer);
    running.delete(child);
  }
}

/** For `afterEach`: kills every child still running (a test that failed or timed out leaves none behind). */
export function killRunningChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
