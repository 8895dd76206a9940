import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const packageFolder = fileURLToPath(new URL('..', import.meta.url));

/** Runs a TypeScript file of `test/fixtures/` in a real Node process, reading sources directly. */
export function spawnFixture(script: string, args: readonly string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@agent-identity/source', `test/fixtures/${script}`, ...args],
    { cwd: packageFolder, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Resolves when the process exits 0; rejects with its stderr otherwise. */
export async function exitedCleanly(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  if (code !== 0) throw new Error(`child exited with ${code ?? signal}: ${stderr}`);
}

/** Resolves once the process has written `text` on stdout. */
export async function printed(child: ChildProcess, text: string): Promise<void> {
  let stdout = '';
  const stream = child.stdout;
  if (stream === null) throw new Error('the child has no stdout pipe');
  for await (const chunk of stream) {
    stdout += String(chunk);
    if (stdout.includes(text)) return;
  }
  throw new Error(`the child ended without printing ${JSON.stringify(text)}`);
}

/**
 * Runs a TypeScript file of `test/fixtures/` in a real Node process whose files may not grow past
 * `limitKiB` (`ulimit -f`, SIGXFSZ ignored): a write across the limit ends midway with `EFBIG`,
 * the way a full disk ends it with `ENOSPC`. Resolves with what the child printed on stdout.
 */
export async function runFixtureUnderFileSizeLimit(
  script: string,
  args: readonly string[],
  limitKiB: number,
): Promise<string> {
  const child = spawn(
    'bash',
    [
      '-c',
      `trap '' XFSZ; ulimit -f ${limitKiB}; exec "$@"`,
      'bash',
      process.execPath,
      '--import',
      'tsx',
      '--conditions=@agent-identity/source',
      `test/fixtures/${script}`,
      ...args,
    ],
    { cwd: packageFolder, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  await exitedCleanly(child);
  return stdout;
}
