// `pnpm bench`: runs every benchmark, prints the table, writes the JSON report and prints its path
// as the last line of the output.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from './bench-result.js';
import { parseBenchCommand } from './bench-settings.js';
import { abortDuringRecoveryBenchmark } from './benchmarks/abort-during-recovery.js';
import { assertionHeaderBenchmark } from './benchmarks/assertion-header.js';
import { backendThroughputBenchmark } from './benchmarks/backend-throughput.js';
import { firstTurnBenchmark } from './benchmarks/first-turn.js';
import { fleetBenchmark } from './benchmarks/fleet.js';
import { gatewayOverheadBenchmark } from './benchmarks/gateway-overhead.js';
import { registryBenchmark } from './benchmarks/registry.js';
import { resumeBenchmark } from './benchmarks/resume.js';
import { scaleBenchmark } from './benchmarks/scale.js';
import { telemetryBenchmark } from './benchmarks/telemetry.js';
import { verifierBenchmark } from './benchmarks/verifier.js';
import { formatTable } from './format.js';
import { consumeSink } from './side-by-side.js';

const benchmarks: readonly Benchmark[] = [
  assertionHeaderBenchmark,
  verifierBenchmark,
  firstTurnBenchmark,
  resumeBenchmark,
  scaleBenchmark,
  backendThroughputBenchmark,
  fleetBenchmark,
  gatewayOverheadBenchmark,
  registryBenchmark,
  telemetryBenchmark,
  abortDuringRecoveryBenchmark,
];

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const command = parseBenchCommand(
    process.argv.slice(2),
    process.env,
    benchmarks.map((benchmark) => benchmark.id),
  );
  const startedAt = new Date();
  const results: BenchResult[] = [];
  for (const benchmark of benchmarks) {
    if (command.only !== undefined && !command.only.has(benchmark.id)) continue;
    const started = performance.now();
    print(`▶ ${benchmark.title}${command.quick ? ' (quick)' : ''}`);
    results.push(...(await benchmark.run(command)));
    print(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: command.quick,
    machine: {
      node: process.version,
      platform: platform(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemoryBytes: totalmem(),
    },
    results,
    sink: consumeSink(),
  };
  const folder = join(repoRoot, '.bench');
  await mkdir(folder, { recursive: true });
  const path = join(folder, `results-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  print('');
  print(formatTable(results));
  print('');
  print(path);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
