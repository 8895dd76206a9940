import type { Comparison } from './comparison.js';
import { median } from './statistics.js';

/** The values one round measured, one per name (milliseconds, rates: whatever the figure counts). */
export type RoundValues<Name extends string> = Readonly<Record<Name, number>>;

/**
 * Values measured side by side round after round: each name's median, and medians of what is
 * computed within each round (a ratio of two values of one round, so that drift in the machine's
 * speed hits both alike).
 */
export class RoundSeries<Name extends string> {
  readonly #rounds: RoundValues<Name>[] = [];

  add(values: RoundValues<Name>): void {
    this.#rounds.push(values);
  }

  get runs(): number {
    return this.#rounds.length;
  }

  /** Every round's value of `name`, in the order measured. */
  values(name: Name): number[] {
    return this.#rounds.map((round) => round[name]);
  }

  median(name: Name): number {
    return median(this.values(name));
  }

  /** `candidate` beside `baseline`, with the median of `ratio` taken within each round. */
  compare(candidate: Name, baseline: Name, ratio: (round: RoundValues<Name>) => number): Comparison {
    return {
      value: this.median(candidate),
      baseline: this.median(baseline),
      ratio: median(this.#rounds.map(ratio)),
      runs: this.runs,
    };
  }
}

/**
 * `rounds` recorded rounds of `measure`, after one that is not recorded when `warmUp` (it warms the
 * code paths up: the first calls of a path compile it). `measure` gets each round's number, the
 * warm-up's included, so that a round can name what it creates apart from every other round's.
 */
export async function measureRounds<Name extends string>(
  options: { readonly rounds: number; readonly warmUp: boolean },
  measure: (round: number) => Promise<RoundValues<Name>>,
): Promise<RoundSeries<Name>> {
  const series = new RoundSeries<Name>();
  let round = 0;
  if (options.warmUp) await measure(round++);
  while (series.runs < options.rounds) series.add(await measure(round++));
  return series;
}
