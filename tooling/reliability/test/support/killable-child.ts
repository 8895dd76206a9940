import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

/**
 * A real Node process running a TypeScript fixture (through tsx, sources resolved like ours) that
 * loads, says `loaded`, waits for `go` on stdin, then works until it is killed, saying `ready`
 * once its first write is done.
 */
export class KillableChild {
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #waiters: (() => void)[] = [];
  readonly #exited: Promise<unknown>;
  #stderr = '';

  constructor(script: string, args: readonly string[]) {
    this.#child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@agent-identity/source', `${fixtures}${script}`, ...args],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.#exited = once(this.#child, 'exit');
    createInterface({ input: this.#child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      this.#lines.push(line);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
    this.#exited.then(
      () => {
        for (const wake of this.#waiters.splice(0)) wake();
      },
      () => undefined,
    );
  }

  /** Resolves once the child has printed `line`; rejects if it exits first. */
  async printed(line: string): Promise<void> {
    while (!this.#lines.includes(line)) {
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
        throw new Error(
          `the child exited (${this.#child.exitCode ?? this.#child.signalCode}) before printing ${line}: ${this.#stderr}`,
        );
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** What the child has printed so far, line by line. */
  get lines(): readonly string[] {
    return [...this.#lines];
  }

  go(): void {
    this.#child.stdin?.end('go\n');
  }

  /** SIGKILL, and the exit reaped (a zombie would still look alive to a lock's liveness check). */
  async kill(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.#exited;
  }
}

/**
 * Children of one fixture, each spawned while the previous one works, so that the loading of the
 * next (a second or so of TypeScript) overlaps the work and checks of the current one.
 */
export class ChildRelay {
  #next: KillableChild;

  constructor(
    private readonly script: string,
    private readonly args: readonly string[],
  ) {
    this.#next = new KillableChild(script, args);
  }

  /** The loaded child whose turn it is; the one after it starts loading now. */
  async take(): Promise<KillableChild> {
    const child = this.#next;
    await child.printed('loaded');
    this.#next = new KillableChild(this.script, this.args);
    return child;
  }

  /** Kills the child still waiting for its turn. */
  close(): Promise<void> {
    return this.#next.kill();
  }
}
