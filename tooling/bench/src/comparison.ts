import type { BenchResult, Unit } from './bench-result.js';

/**
 * A figure measured beside its baseline in the same run: the median of each, and the median of
 * the ratios taken within each round (not the ratio of the medians: drift in the machine's speed
 * hits both sides of a round alike).
 */
export interface Comparison {
  /** The median of the measured code, in the figure's unit. */
  readonly value: number;
  /** The median of the baseline, in the figure's unit. */
  readonly baseline: number;
  readonly ratio: number;
  readonly runs: number;
}

/** How the report names a comparison, and what it adds to it. */
export interface ComparedFigure {
  readonly id: string;
  readonly title: string;
  readonly unit: Unit;
  readonly baselineTitle: string;
  /** What the ratio divides, e.g. `header ÷ bare sign`. */
  readonly ratioMeaning: string;
  readonly target?: BenchResult['target'];
  readonly details?: BenchResult['details'];
  readonly notes?: BenchResult['notes'];
}

/** The report's row of `comparison`, named as `figure` says. */
export function comparisonResult(figure: ComparedFigure, comparison: Comparison): BenchResult {
  const { id, title, unit, baselineTitle, ratioMeaning, target, details, notes } = figure;
  return {
    id,
    title,
    unit,
    value: comparison.value,
    baseline: { title: baselineTitle, value: comparison.baseline },
    ratio: { value: comparison.ratio, meaning: ratioMeaning },
    ...(target === undefined ? {} : { target }),
    runs: comparison.runs,
    ...(details === undefined ? {} : { details }),
    ...(notes === undefined ? {} : { notes }),
  };
}
