import { inspect } from 'node:util';
import type { Logger } from '@agent-identity/core';

/** A logger that keeps every line, for asserting what was logged and that no secret ever was. */
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

  text(): string {
    return this.lines.map((line) => `${line.level} ${line.message} ${inspect(line.fields, { depth: null })}`).join('\n');
  }
}
