// One run of figure 6 in a fresh process, so that its memory is the client's alone and nothing an
// earlier figure allocated is counted: a warm-up of 100 threads, then `threads` threads started at
// once by a new runtime on a new Codex home, all prewarmed; then, beside it, the same number of
// task registrations sent at once straight over the wire (no runtime, no threads, no files).
// Prints the ScaleRun as one JSON line.
// usage: scale-run.ts <backend base URL> <threads>
import type { AgentThread } from '@agent-identity/core';
import { BackendAdminClient } from '@agent-identity/reference-backend';
import { clientRuntime, type ClientRuntime } from './client-runtime.js';
import { directTaskRegistration, type RegisteringAgent } from './direct-task-registration.js';
import { settle } from './garbage-collection.js';
import { LoadClient } from './load-generator.js';
import { TempFolder } from './temp-folder.js';

const WARMUP_THREADS = 100;
const RSS_SAMPLE_MS = 5;

/** What one run measured; registrations as the backend counted them during the run. */
export interface ScaleRun {
  readonly ms: number;
  readonly agentRegistrations: number;
  readonly taskRegistrations: number;
  readonly distinctTasks: number;
  readonly peakRssDeltaBytes: number;
  readonly retainedHeapBytes: number;
  /** The same registrations, sent directly: the cost of the work itself. */
  readonly directRegistrationsMs: number;
}

async function startAll(
  baseUrl: string,
  count: number,
  measure: (threads: () => Promise<AgentThread[]>, client: ClientRuntime) => Promise<void>,
): Promise<void> {
  const home = await TempFolder.create('scale');
  const client = clientRuntime({ home: home.path, baseUrl });
  try {
    await measure(async () => {
      const threads = await Promise.all(Array.from({ length: count }, () => client.runtime.startThread()));
      await Promise.all(threads.map((thread) => thread.prewarmed));
      client.assertNoErrorEvents();
      return threads;
    }, client);
  } finally {
    await client.runtime.close();
    await home.remove();
  }
}

/** Milliseconds for `count` task registrations sent at once, each on its own connection. */
async function directRegistrationsMs(baseUrl: string, agent: RegisteringAgent, count: number): Promise<number> {
  const load = new LoadClient(count);
  try {
    const register = directTaskRegistration(load, baseUrl, agent, { openSealedId: true });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: count }, register));
    const ms = performance.now() - started;
    if (!results.every(Boolean)) throw new Error('a direct task registration failed');
    return ms;
  } finally {
    load.close();
  }
}

async function main(): Promise<void> {
  const [baseUrl, threadsText] = process.argv.slice(2);
  const count = Number(threadsText);
  if (baseUrl === undefined || !Number.isSafeInteger(count))
    throw new Error('usage: scale-run.ts <backend base URL> <threads>');
  const admin = new BackendAdminClient({ url: baseUrl });
  await startAll(baseUrl, WARMUP_THREADS, async (start) => {
    await start();
  });

  await startAll(baseUrl, count, async (start, client) => {
    const before = await admin.counters();
    await settle();
    const rssBefore = process.memoryUsage.rss();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, RSS_SAMPLE_MS);
    const started = performance.now();
    const threads = await start();
    const ms = performance.now() - started;
    clearInterval(sampler);
    // the kernel's high-water mark catches a peak between two samples
    peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
    await settle();
    const retainedHeapBytes = process.memoryUsage().heapUsed - heapBefore;
    const after = await admin.counters();
    const identity = await client.runtime.currentIdentity();
    if (identity === undefined) throw new Error('no identity after the run');
    const run: ScaleRun = {
      ms,
      agentRegistrations: after.agentRegistrations - before.agentRegistrations,
      taskRegistrations: after.taskRegistrations - before.taskRegistrations,
      distinctTasks: new Set(threads.map((thread) => thread.task?.taskId)).size,
      peakRssDeltaBytes: peakRss - rssBefore,
      retainedHeapBytes,
      directRegistrationsMs: await directRegistrationsMs(baseUrl, identity, count),
    };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  });
}

await main();
