import type { BenchSettings } from './bench-result.js';
import { LoadClient, measureThroughput } from './load-generator.js';

const CONCURRENCY = 16;
const WARMUP_MS = 300;

/**
 * The closed loop of the backend's throughput figures (7 and 10): 16 operations in flight over one
 * keep-alive client, each worker starting its next when one ends, counted in a window after a
 * 300 ms warm-up. A quick run measures 1 round of 1 s, the full report 3 of 1.5 s.
 */
export class ClosedLoop {
  readonly client = new LoadClient(CONCURRENCY);
  readonly rounds: number;
  readonly durationMs: number;

  constructor(settings: BenchSettings) {
    this.rounds = settings.quick ? 1 : 3;
    this.durationMs = settings.quick ? 1000 : 1500;
  }

  /** Successful operations per second of `operation` in one window (a failure aborts the run). */
  rate(operation: () => Promise<boolean>): Promise<number> {
    return measureThroughput({ concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: this.durationMs, operation });
  }

  /** What a figure's details say about the loop. */
  get details(): { readonly concurrency: number; readonly durationMs: number } {
    return { concurrency: CONCURRENCY, durationMs: this.durationMs };
  }

  close(): void {
    this.client.close();
  }
}
