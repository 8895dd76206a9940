import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * A Node process running a TypeScript file of this repo the way the bench itself runs: through
 * tsx, sibling packages resolved to their sources, garbage collection exposed.
 */
export function spawnTypeScript(script: string, args: readonly string[]): ChildProcessByStdio<null, Readable, null> {
  return spawn(
    process.execPath,
    ['--expose-gc', '--conditions=@agent-identity/source', '--import', 'tsx', script, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}
