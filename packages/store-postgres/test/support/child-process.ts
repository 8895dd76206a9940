import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const packageFolder = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a TypeScript file of `test/fixtures/` in a real Node process, reading sources directly. */
export function spawnFixture(script: string, args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@agent-identity/source', `test/fixtures/${script}`, ...args],
    { cwd: packageFolder, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
}

/** Resolves with the process's stdout once it exits 0; rejects with its stderr otherwise. */
export async function outputOnSuccess(child: ChildProcess): Promise<string> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  if (code !== 0) throw new Error(`child exited with ${code ?? signal}: ${stderr}`);
  return stdout;
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
