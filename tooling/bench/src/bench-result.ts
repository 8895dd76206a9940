/** One figure of the report, as written to the JSON file. */
export interface BenchResult {
  /** Stable id, e.g. `assertion-fresh`. */
  readonly id: string;
  readonly title: string;
  readonly unit: Unit;
  /** The median over `runs`. */
  readonly value: number;
  /** What the figure is measured beside: the physical limit or the naive approach (a median too). */
  readonly baseline?: { readonly title: string; readonly value: number };
  /**
   * The median of ratios taken within each run (not a ratio of the medians), and what it divides:
   * e.g. `fresh header ÷ bare sign` (time per op) or `cold ÷ prewarmed`.
   */
  readonly ratio?: { readonly value: number; readonly meaning: string };
  readonly target?: { readonly text: string; readonly met: boolean };
  readonly runs: number;
  /** Per-figure extras: bytes read, counts, memory. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** What was skipped or should be known to read the figure. */
  readonly notes?: readonly string[];
}

export type Unit = 'ns/op' | 'ops/s' | 'ms' | 'bytes' | 'registrations/s' | 'requests/s';

/** A benchmark: some figures of the report. */
export interface Benchmark {
  readonly id: string;
  readonly title: string;
  run(settings: BenchSettings): Promise<BenchResult[]>;
}

/** How big a run is: the default report, or `--quick` (CI-sized). */
export interface BenchSettings {
  readonly quick: boolean;
}
