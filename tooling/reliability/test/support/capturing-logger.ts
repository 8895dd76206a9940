import { inspect } from 'node:util';
import type { Logger } from '@agent-identity/core';

/** A logger that keeps every line, so that a test can search all of it for secrets. */
export class CapturingLogger implements Logger {
  readonly lines: { level: string; message: string; fields: unknown }[] = [];

  debug(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'debug', message, fields });
  }

  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'info', message, fields });
  }

  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'warn', message, fields });
  }

  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'error', message, fields });
  }

  /** Every line with its fields fully expanded. */
  text(): string {
    return this.lines.map((line) => `${line.level} ${line.message} ${inspect(line.fields, { depth: null })}`).join('\n');
  }
}
