import { inspect } from 'node:util';
import type { Logger } from '../runtime/logger.js';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

/**
 * A logger that keeps every line: to assert what was logged, and that no secret ever was
 * (`text()` is what a leak check searches). For tests of code that takes a `Logger`.
 */
export class CapturingLogger implements Logger {
  readonly lines: LogLine[] = [];

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

  at(level: LogLine['level']): LogLine[] {
    return this.lines.filter((line) => line.level === level);
  }

  /** The messages logged at `level`, in order. */
  messages(level: LogLine['level']): string[] {
    return this.at(level).map((line) => line.message);
  }

  /** Everything logged, fields fully expanded: what a leak check searches. */
  text(): string {
    return this.lines
      .map((line) => `${line.level} ${line.message} ${inspect(line.fields, { depth: null })}`)
      .join('\n');
  }
}
