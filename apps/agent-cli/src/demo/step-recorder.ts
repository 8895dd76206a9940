import { performance } from 'node:perf_hooks';
import { CliError } from '../cli-error.js';
import { failureMessage } from '../failure-report.js';
import type { Output } from '../output.js';
import { countsBetween, type CounterSource, type DemoCounts } from './demo-counters.js';

/** One step of the demo as the summary reports it. */
export interface StepRecord {
  readonly number: number;
  /** A few words for the summary table. */
  readonly label: string;
  readonly title: string;
  /** `undefined` for a skipped step. */
  readonly ms: number | undefined;
  readonly counts: DemoCounts | undefined;
  readonly skipped?: string;
}

/** What a step body prints under its title. */
export interface StepLog {
  line(text?: string): void;
  write(text: string): void;
}

export const INDENT = '      ';

/**
 * Runs the demo's steps in order: prints `[n/total] title`, times the body, takes the counters
 * before and after, prints the outcome. A failing step stops the demo with a message naming it.
 */
export class StepRecorder {
  readonly #output: Output;
  readonly #counters: CounterSource;
  readonly #total: number;
  readonly #records: StepRecord[] = [];

  constructor(output: Output, counters: CounterSource, total: number) {
    this.#output = output;
    this.#counters = counters;
    this.#total = total;
  }

  get records(): readonly StepRecord[] {
    return this.#records;
  }

  async step<T>(label: string, title: string, body: (log: StepLog) => Promise<T>): Promise<T> {
    const number = this.#records.length + 1;
    this.#output.line();
    this.#output.line(`[${number}/${this.#total}] ${title}`);
    const before = await this.#counters.snapshot();
    const startedAt = performance.now();
    let result: T;
    try {
      result = await body({
        line: (text = '') => {
          this.#output.line(text === '' ? '' : `${INDENT}${text}`);
        },
        write: (text) => {
          this.#output.write(text);
        },
      });
    } catch (error) {
      throw new CliError('DEMO_CHECK_FAILED', `step ${number} (${title}) failed: ${failureMessage(error)}`, {
        cause: error,
      });
    }
    const ms = performance.now() - startedAt;
    const counts = countsBetween(before, await this.#counters.snapshot());
    this.#records.push({ number, label, title, ms, counts });
    this.#output.line(`${INDENT}✓ ${formatMs(ms)}`);
    return result;
  }

  skip(label: string, title: string, reason: string): void {
    const number = this.#records.length + 1;
    this.#output.line();
    this.#output.line(`[${number}/${this.#total}] ${title}`);
    this.#output.line(`${INDENT}– skipped: ${reason}`);
    this.#records.push({ number, label, title, ms: undefined, counts: undefined, skipped: reason });
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
