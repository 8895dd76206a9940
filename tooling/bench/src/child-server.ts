import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { spawnTypeScript } from './typescript-process.js';

/**
 * A server running in a child process (a TypeScript file run through tsx, sources resolved like
 * ours), so that what the bench process measures — its memory, its event loop — is the client's
 * alone, and throughput is measured over real loopback sockets.
 */
export class ChildServer {
  private constructor(
    private readonly child: ChildProcess,
    /** The first line the server printed: its URL. */
    readonly url: string,
  ) {}

  /** Starts `script` with `args` and waits for the URL it prints as its first stdout line. */
  static async start(script: string, args: readonly string[] = []): Promise<ChildServer> {
    const child = spawnTypeScript(script, args);
    const { stdout } = child;
    const lines = createInterface({ input: stdout });
    const first = await Promise.race([
      once(lines, 'line').then(([line]) => ({ url: String(line).trim() })),
      once(child, 'exit').then(([code]) => ({ exitCode: String(code) })),
    ]);
    if ('exitCode' in first) throw new Error(`${script} exited with ${first.exitCode} before printing its URL`);
    lines.close();
    stdout.resume();
    return new ChildServer(child, first.url);
  }

  /** SIGTERM, then waits for the exit. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
