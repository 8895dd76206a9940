import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { BackendProcess } from '../backend-process.js';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { formatBytes } from '../format.js';
import type { ScaleRun } from '../scale-run.js';
import { median } from '../statistics.js';
import { spawnTypeScript } from '../typescript-process.js';

const THREADS = 1000;
/** Thread start's own cost (files, fsyncs, bookkeeping) on top of the registrations it makes. */
const MAX_RATIO_TO_DIRECT = 1.3;
const scaleRunScript = fileURLToPath(new URL('../scale-run.ts', import.meta.url));

/** One run in a fresh process (`scale-run.ts`); its JSON line. */
async function scaleRun(backend: BackendProcess): Promise<ScaleRun> {
  const child = spawnTypeScript(scaleRunScript, [backend.baseUrl, String(THREADS)]);
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the scale run exited with ${String(code)}`);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ScaleRun;
}

/**
 * Figure 6: 1,000 threads started at once by one runtime on the file stores (a Codex home in a temp
 * folder), each run in a fresh process: the time until every thread is prewarmed, the
 * registrations the backend counted (one identity, one task per thread: anything more is a
 * duplicate), the peak RSS growth during the start and the heap the threads keep, per thread.
 */
export const scaleBenchmark: Benchmark = {
  id: 'scale',
  title: `${THREADS} threads at once`,
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const runs = settings.quick ? 1 : 3;
    const backend = await BackendProcess.start();
    try {
      const results: ScaleRun[] = [];
      for (let run = 0; run < runs; run += 1) results.push(await scaleRun(backend));
      const noDuplicates = results.every(
        (run) => run.agentRegistrations === 1 && run.taskRegistrations === THREADS && run.distinctTasks === THREADS,
      );
      const peakRss = median(results.map((run) => run.peakRssDeltaBytes));
      const ratio = median(results.map((run) => run.ms / run.directRegistrationsMs));
      return [
        {
          id: 'scale-1000-threads',
          title: `6. ${THREADS} threads started at once, all prewarmed (peak RSS +${formatBytes(peakRss / THREADS)}/thread)`,
          unit: 'ms',
          value: median(results.map((run) => run.ms)),
          baseline: {
            title: `${THREADS} task registrations sent directly at once (no runtime)`,
            value: median(results.map((run) => run.directRegistrationsMs)),
          },
          ratio: { value: ratio, meaning: 'threads ÷ direct' },
          target: {
            text: `≤ ${MAX_RATIO_TO_DIRECT}× direct; 1 identity + ${THREADS} task registrations, no duplicates`,
            met: noDuplicates && ratio <= MAX_RATIO_TO_DIRECT,
          },
          runs,
          details: {
            threads: THREADS,
            agentRegistrations: results.map((run) => run.agentRegistrations),
            taskRegistrations: results.map((run) => run.taskRegistrations),
            distinctTasks: results.map((run) => run.distinctTasks),
            peakRssDeltaBytes: peakRss,
            peakRssDeltaBytesPerThread: peakRss / THREADS,
            retainedHeapBytesPerThread: median(results.map((run) => run.retainedHeapBytes)) / THREADS,
            stores: 'FileIdentityStore + FileRolloutStore (a rollout file per thread, fsynced)',
            process: 'each run in a fresh process (after a 100-thread warm-up); the backend in another',
          },
        },
      ];
    } finally {
      await backend.close();
    }
  },
};
