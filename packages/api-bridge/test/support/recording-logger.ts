import { inspect } from 'node:util';
import type { Logger } from '@agent-identity/core';

type Level = keyof Logger;

/** Keeps every log line as text: what tests assert on, and what a leak check searches. */
export class RecordingLogger implements Logger {
  readonly lines: { readonly level: Level; readonly message: string; readonly fields: unknown }[] = [];
  readonly debug = this.#recorder('debug');
  readonly info = this.#recorder('info');
  readonly warn = this.#recorder('warn');
  readonly error = this.#recorder('error');

  text(): string {
    return this.lines.map((line) => `${line.level} ${line.message} ${inspect(line.fields, { depth: null })}`).join('\n');
  }

  #recorder(level: Level): Logger[Level] {
    return (message, fields) => {
      this.lines.push({ level, message, fields });
    };
  }
}
