import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * `BENCH_CHILD_CPU_PROF_DIR=<folder>` profiles every child (the backend, the bare servers, the
 * runtimes): Node refuses `--cpu-prof` in `NODE_OPTIONS`, and a profile of the load generator
 * would hide the server's.
 */
function cpuProfileFlags(): string[] {
  const folder = process.env['BENCH_CHILD_CPU_PROF_DIR'];
  return folder === undefined || folder === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${folder}`];
}

/**
 * A Node process running a TypeScript file of this repo the way the bench itself runs: through
 * tsx, sibling packages resolved to their sources, garbage collection exposed.
 */
export function spawnTypeScript(script: string, args: readonly string[]): ChildProcessByStdio<null, Readable, null> {
  return spawn(
    process.execPath,
    ['--expose-gc', ...cpuProfileFlags(), '--conditions=@agent-identity/source', '--import', 'tsx', script, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}
