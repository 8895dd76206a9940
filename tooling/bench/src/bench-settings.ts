import type { BenchSettings } from './bench-result.js';

export interface BenchCommand extends BenchSettings {
  /** Benchmark ids to run; every benchmark when undefined. */
  readonly only: ReadonlySet<string> | undefined;
}

export const BENCH_USAGE = `usage: pnpm bench [--quick] [--only=<id>[,<id>…]]
  --quick   CI-sized: fewer rounds, smaller rollouts (also: BENCH_QUICK=1)
  --only    run only these benchmarks: `;

/** The command line and environment of `pnpm bench`; throws with the usage on anything unknown. */
export function parseBenchCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ids: readonly string[],
): BenchCommand {
  let quick = env.BENCH_QUICK !== undefined && env.BENCH_QUICK !== '' && env.BENCH_QUICK !== '0';
  let only: Set<string> | undefined;
  for (const arg of args) {
    if (arg === '--') continue;
    if (arg === '--quick') {
      quick = true;
    } else if (arg.startsWith('--only=')) {
      only = new Set(
        arg
          .slice('--only='.length)
          .split(',')
          .filter((id) => id !== ''),
      );
      const unknown = [...only].filter((id) => !ids.includes(id));
      if (unknown.length > 0)
        throw new Error(`unknown benchmark ${unknown.join(', ')}\n${BENCH_USAGE}${ids.join(', ')}`);
    } else {
      throw new Error(`unknown argument ${arg}\n${BENCH_USAGE}${ids.join(', ')}`);
    }
  }
  return { quick, only };
}
