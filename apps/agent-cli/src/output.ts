import type { CliIo } from './cli-io.js';

/**
 * What a command prints. Text mode: human lines on stdout. `--json`: one JSON document on stdout,
 * and the human lines either dropped or — for long-running commands that show progress — sent to
 * stderr, so stdout stays parseable.
 */
export class Output {
  readonly json: boolean;
  readonly #io: CliIo;
  readonly #humanTo: ((text: string) => void) | undefined;

  constructor(io: CliIo, options: { json: boolean; progressInJsonMode?: boolean }) {
    this.#io = io;
    this.json = options.json;
    this.#humanTo = !options.json ? io.stdout : options.progressInJsonMode === true ? io.stderr : undefined;
  }

  /** A human line. */
  line(text = ''): void {
    this.#humanTo?.(`${text}\n`);
  }

  /** Human text without a line break (a streamed answer). */
  write(text: string): void {
    this.#humanTo?.(text);
  }

  /** The command's result: JSON in `--json` mode, else the given lines. */
  result(value: unknown, lines: readonly string[] = []): void {
    if (this.json) this.#io.stdout(`${JSON.stringify(value, null, 2)}\n`);
    else for (const line of lines) this.#io.stdout(`${line}\n`);
  }
}
