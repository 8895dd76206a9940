import type { AgentThread } from '@agent-identity/core';
import { BackendProcess } from '../backend-process.js';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { clientRuntime } from '../client-runtime.js';
import { formatBytes } from '../format.js';
import { settle } from '../garbage-collection.js';
import { median } from '../statistics.js';
import { TempFolder } from '../temp-folder.js';

const THREADS = 1000;
/** Threads of the unmeasured warm-up run. */
const WARMUP_THREADS = 100;
const RSS_SAMPLE_MS = 5;

interface ScaleRun {
  readonly ms: number;
  readonly agentRegistrations: number;
  readonly taskRegistrations: number;
  readonly distinctTasks: number;
  readonly peakRssDeltaBytes: number;
  readonly retainedHeapBytes: number;
}

/** Samples the resident set size until stopped; the peak above the starting value. */
function watchRss(): { stop(): number } {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak - start;
    },
  };
}

/** One run: a fresh runtime and Codex home, `threadCount` threads started at once, all prewarmed. */
async function scaleRun(backend: BackendProcess, threadCount: number): Promise<ScaleRun> {
  const home = await TempFolder.create('scale');
  const client = clientRuntime({ home: home.path, baseUrl: backend.baseUrl });
  let threads: AgentThread[] = [];
  try {
    await backend.reset();
    await settle();
    const heapBefore = process.memoryUsage().heapUsed;
    const rss = watchRss();
    const start = performance.now();
    threads = await Promise.all(Array.from({ length: threadCount }, () => client.runtime.startThread()));
    await Promise.all(threads.map((thread) => thread.prewarmed));
    const ms = performance.now() - start;
    const peakRssDeltaBytes = rss.stop();
    client.assertNoErrorEvents();
    await settle();
    const retainedHeapBytes = process.memoryUsage().heapUsed - heapBefore;
    const counters = await backend.counters();
    return {
      ms,
      agentRegistrations: counters.agentRegistrations,
      taskRegistrations: counters.taskRegistrations,
      distinctTasks: new Set(threads.map((thread) => thread.task?.task_id)).size,
      peakRssDeltaBytes,
      retainedHeapBytes,
    };
  } finally {
    await client.runtime.close();
    threads = [];
    await home.remove();
  }
}

/**
 * Figure 6: 1,000 threads started at once by one runtime on the file stores (a Codex home in a temp
 * folder): the time until every thread is prewarmed, the registrations the backend counted (one
 * identity, one task per thread: anything more is a duplicate), and memory — the peak RSS growth
 * during the start and the heap the threads keep, per thread.
 */
export const scaleBenchmark: Benchmark = {
  id: 'scale',
  title: `${THREADS} threads at once`,
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const runs = settings.quick ? 1 : 2;
    const backend = await BackendProcess.start();
    try {
      await scaleRun(backend, WARMUP_THREADS); // warm-up: the code paths, and the backend's
      const results: ScaleRun[] = [];
      for (let run = 0; run < runs; run += 1) results.push(await scaleRun(backend, THREADS));
      const noDuplicates = results.every(
        (run) => run.agentRegistrations === 1 && run.taskRegistrations === THREADS && run.distinctTasks === THREADS,
      );
      const peakRss = median(results.map((run) => run.peakRssDeltaBytes));
      const retained = median(results.map((run) => run.retainedHeapBytes));
      return [
        {
          id: 'scale-1000-threads',
          title: `6. ${THREADS} threads started at once, all prewarmed (peak RSS +${formatBytes(peakRss / THREADS)}/thread)`,
          unit: 'ms',
          value: median(results.map((run) => run.ms)),
          target: {
            text: `1 identity + ${THREADS} task registrations, no duplicates`,
            met: noDuplicates,
          },
          runs,
          details: {
            threads: THREADS,
            agentRegistrations: results.map((run) => run.agentRegistrations),
            taskRegistrations: results.map((run) => run.taskRegistrations),
            distinctTasks: results.map((run) => run.distinctTasks),
            peakRssDeltaBytes: peakRss,
            peakRssDeltaBytesPerThread: peakRss / THREADS,
            retainedHeapBytesPerThread: retained / THREADS,
            stores: 'FileIdentityStore + FileRolloutStore (a rollout file per thread, fsynced)',
          },
        },
      ];
    } finally {
      await backend.close();
    }
  },
};
