import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { z } from 'zod';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';

/** What a CLI child process printed, and who it was. */
export interface ChildReport<T> {
  readonly pid: number;
  readonly report: T;
}

/**
 * This CLI run again as a separate process — the same Node binary, the same Node flags (so it
 * works from TypeScript source under `tsx` and from `dist` alike), the same entry script — with
 * `--json`, its stdout read back through the command's report schema.
 */
export class ChildCli {
  readonly #self: CliIo['self'];
  readonly #commonArgs: readonly string[];

  /** `commonArgs` go after every command's own arguments (`--home`, `--base-url`, …). */
  constructor(self: CliIo['self'], commonArgs: readonly string[]) {
    this.#self = self;
    this.#commonArgs = commonArgs;
  }

  async json<T>(args: readonly string[], schema: z.ZodType<T>): Promise<ChildReport<T>> {
    const child = spawn(this.#self.execPath, [...this.#self.args, ...args, ...this.#commonArgs, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    const shown = `agent-cli ${args.join(' ')}`;
    if (code !== 0) {
      const reason =
        stderr
          .trim()
          .split('\n')
          .find((line) => line.startsWith('agent-cli:')) ??
        stderr.trim().split('\n')[0] ??
        '';
      throw new CliError(
        'CHILD_PROCESS_FAILED',
        `\`${shown}\` (pid ${child.pid ?? '?'}) exited with ${code ?? 'a signal'}: ${reason}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(stdout);
    } catch {
      throw new CliError('CHILD_PROCESS_FAILED', `\`${shown}\` printed something other than JSON`);
    }
    return { pid: child.pid ?? 0, report: schema.parse(parsed) };
  }
}
