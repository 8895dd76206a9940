import { median } from './statistics.js';
import type { Comparison } from './comparison.js';

/**
 * One measured operation: `(i) => …` for the i-th call, returning a number that depends on the
 * work (so the call cannot be optimised away). Asynchronous ones are awaited one after another.
 */
export type Operation = { readonly sync: (i: number) => number } | { readonly async: (i: number) => Promise<number> };

export interface SideBySideOptions {
  /** Measured rounds (one unmeasured warm-up round runs first). */
  readonly rounds: number;
  /** Calls per side per round. */
  readonly iterations: number;
}

/** Medians of two operations measured alternately, and the median of their per-round ratio. */
export interface SideBySide {
  readonly baselineNsPerOp: number;
  readonly candidateNsPerOp: number;
  /** Median over rounds of candidate ÷ baseline, each ratio taken within one round. */
  readonly ratio: number;
  readonly rounds: number;
}

// Results flow here so that no measured call can be optimised away.
let sink = 0;

/** Keeps the measured results observable (call once at the end of the program). */
export function consumeSink(): number {
  return sink;
}

/** Nanoseconds per call of `iterations` calls starting at call index `offset`. */
async function nsPerOp(operation: Operation, iterations: number, offset: number): Promise<number> {
  const start = process.hrtime.bigint();
  if ('sync' in operation) {
    const run = operation.sync;
    for (let i = 0; i < iterations; i += 1) sink += run(offset + i);
  } else {
    const run = operation.async;
    for (let i = 0; i < iterations; i += 1) sink += await run(offset + i);
  }
  return Number(process.hrtime.bigint() - start) / iterations;
}

/**
 * Runs `baseline` and `candidate` in alternating order round after round (so drift in the
 * machine's speed hits both alike) and reports medians. Each round continues the call index, so
 * operations that cycle through prepared inputs see all of them.
 */
export async function measureSideBySide(
  options: SideBySideOptions,
  baseline: Operation,
  candidate: Operation,
): Promise<SideBySide> {
  const { iterations } = options;
  await nsPerOp(baseline, iterations, 0);
  await nsPerOp(candidate, iterations, 0);
  const baselines: number[] = [];
  const candidates: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    const offset = (round + 1) * iterations;
    let base: number;
    let cand: number;
    if (round % 2 === 0) {
      base = await nsPerOp(baseline, iterations, offset);
      cand = await nsPerOp(candidate, iterations, offset);
    } else {
      cand = await nsPerOp(candidate, iterations, offset);
      base = await nsPerOp(baseline, iterations, offset);
    }
    baselines.push(base);
    candidates.push(cand);
    ratios.push(cand / base);
  }
  return {
    baselineNsPerOp: median(baselines),
    candidateNsPerOp: median(candidates),
    ratio: median(ratios),
    rounds: options.rounds,
  };
}

/** `measured` as a comparison in ns/op: the candidate beside the baseline. */
export function nsPerOpComparison(measured: SideBySide): Comparison {
  return {
    value: measured.candidateNsPerOp,
    baseline: measured.baselineNsPerOp,
    ratio: measured.ratio,
    runs: measured.rounds,
  };
}
