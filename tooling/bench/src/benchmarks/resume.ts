import { stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { agentTaskEquals, type AgentTask } from '@agent-identity/core';
import { BackendProcess } from '../backend-process.js';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { clientRuntime } from '../client-runtime.js';
import { formatBytes } from '../format.js';
import { settle } from '../garbage-collection.js';
import { NaiveRolloutStore } from '../naive-rollout-store.js';
import { appendBlocks, conversationBlock } from '../rollout-filler.js';
import { median } from '../statistics.js';
import { TempFolder } from '../temp-folder.js';

const MB = 1024 * 1024;
const FLATNESS_TARGET = 2;
/** Conversation after the newest `session_state` line: what "near the end" means here. */
const TAIL_BYTES = 32 * 1024;
/** Disk left free after the files are written. */
const DISK_RESERVE_BYTES = 512 * MB;

/** A rollout size of the figure: `MB` means MiB here, as everywhere in the report. */
interface RolloutSize {
  readonly id: string;
  readonly label: string;
  readonly bytes: number;
}

const SIZES: readonly RolloutSize[] = [
  { id: '1mb', label: '1 MB', bytes: MB },
  { id: '100mb', label: '100 MB', bytes: 100 * MB },
  { id: '1gb', label: '1 GB', bytes: 1024 * MB },
];

/** One rollout under test: its thread, its file, and the task a resume must restore. */
interface Rollout extends RolloutSize {
  readonly threadId: string;
  readonly path: string;
  expected: AgentTask | undefined;
  /** The file's size once complete. */
  fileBytes: number;
}

interface ResumeSample {
  readonly ms: number;
  readonly bytesRead: number;
}

/**
 * Figure 5: resuming a thread (`runtime.resumeThread`, a new runtime each time, as a new process
 * would) from rollouts of 1 MB, 100 MB and 1 GB whose newest `session_state` line is near the end,
 * beside the naive resume (read the whole file, decode every line, take the newest state).
 *
 * Each file is a real thread's rollout: created by the runtime, its task registered, then grown
 * with conversation lines; then the task is invalidated and a new one registered (both lines
 * appended by the runtime), and some more conversation follows. Before that last step the only
 * task line sits at the top of the file: the resume then has to scan it all, which is reported
 * as the worst case.
 */
export const resumeBenchmark: Benchmark = {
  id: 'resume',
  title: 'Resume from large rollouts',
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const rounds = settings.quick ? 3 : 9;
    const naiveRounds = settings.quick ? 2 : 5;
    const worstRounds = settings.quick ? 1 : 3;
    const notes: string[] = [];
    const wanted = settings.quick ? SIZES.filter((size) => size.bytes < 1024 * MB) : SIZES;
    if (settings.quick) notes.push('quick run: no 1 GB case');

    const home = await TempFolder.create('resume');
    const sizes = await sizesWithRoom(home.path, wanted, notes);
    const backend = await BackendProcess.start();
    const writer = clientRuntime({ home: home.path, baseUrl: backend.baseUrl });
    try {
      await writer.runtime.ensureIdentity();
      const block = conversationBlock(MB, 1, Date.now());
      const rollouts: Rollout[] = [];
      for (const size of sizes) {
        const thread = await writer.runtime.startThread();
        await thread.prewarmed;
        const path = await writer.rolloutStore.findRolloutPath(thread.id);
        if (path === undefined || thread.task === undefined)
          throw new Error('the writer thread has no rollout or task');
        await appendBlocks(path, block, size.bytes);
        rollouts.push({ ...size, threadId: thread.id, path, expected: thread.task, fileBytes: 0 });
      }

      // Worst case first: the only task line is at the top of each file.
      const worst = new Map<Rollout, ResumeSample[]>(rollouts.map((rollout) => [rollout, []]));
      for (let round = 0; round < worstRounds; round += 1) {
        for (const rollout of rollouts) worst.get(rollout)?.push(await resume(home.path, backend.baseUrl, rollout));
      }

      // Then the newest task goes near the end, as a re-registration puts it there.
      for (const rollout of rollouts) {
        const thread = await writer.runtime.resumeThread(rollout.threadId);
        const task = thread.task;
        if (task === undefined || !(await thread.invalidateTask(task)))
          throw new Error('could not invalidate the task');
        const turn = await thread.beginTurn();
        if (!turn.ok || thread.task === undefined) throw new Error('could not register a new task');
        rollout.expected = thread.task;
        await appendBlocks(rollout.path, conversationBlock(TAIL_BYTES, 2, Date.now()), TAIL_BYTES);
        rollout.fileBytes = (await stat(rollout.path)).size;
      }
      writer.assertNoErrorEvents();

      const flat = new Map<Rollout, ResumeSample[]>(rollouts.map((rollout) => [rollout, []]));
      const naive = new Map<Rollout, number[]>();
      const naiveRatios = new Map<Rollout, number[]>();
      const flatnessRatios: number[] = [];
      await resume(home.path, backend.baseUrl, rollouts[0] as Rollout); // warm-up
      for (let round = 0; round < rounds; round += 1) {
        const samples = new Map<Rollout, ResumeSample>();
        // alternate the order, so that no size always runs right after another one's big read
        for (const rollout of round % 2 === 0 ? rollouts : [...rollouts].reverse()) {
          const sample = await resume(home.path, backend.baseUrl, rollout);
          samples.set(rollout, sample);
          flat.get(rollout)?.push(sample);
          if (round < naiveRounds && rollout.bytes <= 100 * MB) {
            const naiveMs = (await resume(home.path, backend.baseUrl, rollout, true)).ms;
            naive.set(rollout, [...(naive.get(rollout) ?? []), naiveMs]);
            naiveRatios.set(rollout, [...(naiveRatios.get(rollout) ?? []), naiveMs / sample.ms]);
          }
        }
        const smallest = samples.get(rollouts[0] as Rollout);
        const largest = samples.get(rollouts[rollouts.length - 1] as Rollout);
        if (smallest !== undefined && largest !== undefined) flatnessRatios.push(largest.ms / smallest.ms);
      }

      const results: BenchResult[] = rollouts.map((rollout, index) => {
        const samples = flat.get(rollout) ?? [];
        const worstSamples = worst.get(rollout) ?? [];
        const naiveMs = naive.get(rollout);
        const bytesRead = median(samples.map((sample) => sample.bytesRead));
        return {
          id: `resume-${rollout.id}`,
          title: `5${String.fromCharCode(97 + index)}. Resume, ${rollout.label} rollout (reads ${formatBytes(bytesRead)})`,
          unit: 'ms',
          value: median(samples.map((sample) => sample.ms)),
          ...(naiveMs === undefined
            ? {}
            : {
                baseline: { title: 'naive resume: read the whole file, decode every line', value: median(naiveMs) },
                ratio: { value: median(naiveRatios.get(rollout) ?? []), meaning: 'naive ÷ resume' },
              }),
          runs: samples.length,
          details: {
            fileBytes: rollout.fileBytes,
            bytesRead,
            naiveBytesRead: naiveMs === undefined ? undefined : rollout.fileBytes,
            worstCase: {
              what: 'newest session_state line at the top of the file',
              ms: median(worstSamples.map((sample) => sample.ms)),
              bytesRead: median(worstSamples.map((sample) => sample.bytesRead)),
              runs: worstSamples.length,
            },
          },
        };
      });
      const smallest = rollouts[0] as Rollout;
      const largest = rollouts[rollouts.length - 1] as Rollout;
      const flatness = median(flatnessRatios);
      const largestWorst = worst.get(largest) ?? [];
      notes.push(
        `worst case (the newest session_state line at the top, so the backward scan reads everything): ${largest.label} in ` +
          `${median(largestWorst.map((sample) => sample.ms)).toFixed(0)} ms, ${formatBytes(median(largestWorst.map((sample) => sample.bytesRead)))} read`,
      );
      results.push({
        id: 'resume-flatness',
        title: `5. Resume flatness, ${largest.label} vs ${smallest.label}`,
        unit: 'ms',
        value: median(flat.get(largest)?.map((sample) => sample.ms) ?? []),
        baseline: {
          title: `resume of the ${smallest.label} rollout`,
          value: median(flat.get(smallest)?.map((sample) => sample.ms) ?? []),
        },
        ratio: { value: flatness, meaning: `${largest.label} ÷ ${smallest.label}` },
        target: { text: `≤ ${FLATNESS_TARGET}× (flat)`, met: flatness <= FLATNESS_TARGET },
        runs: flatnessRatios.length,
        notes,
      });
      return results;
    } finally {
      await writer.runtime.close();
      await backend.close();
      await home.remove();
    }
  },
};

/** The sizes that fit on the temp folder's disk (with a reserve left); the others get a note. */
async function sizesWithRoom(folder: string, sizes: readonly RolloutSize[], notes: string[]): Promise<RolloutSize[]> {
  const { bavail, bsize } = await statfs(folder);
  let free = bavail * bsize - DISK_RESERVE_BYTES;
  const kept: RolloutSize[] = [];
  for (const size of sizes) {
    if (size.bytes + TAIL_BYTES > free) {
      notes.push(
        `skipped the ${size.label} rollout: ${formatBytes(Math.max(0, free))} free on ${tmpdir()} after a ${formatBytes(DISK_RESERVE_BYTES)} reserve`,
      );
      continue;
    }
    free -= size.bytes + TAIL_BYTES;
    kept.push(size);
  }
  return kept;
}

/**
 * One resume as a new process does it: a new runtime, its stores cold. `naive`: the same runtime on
 * the naive store, which reads and decodes the whole file instead of scanning from the end.
 */
async function resume(home: string, baseUrl: string, rollout: Rollout, naive = false): Promise<ResumeSample> {
  let naiveStore: NaiveRolloutStore | undefined;
  const reader = clientRuntime({
    home,
    baseUrl,
    ...(naive ? { wrapRolloutStore: (store) => (naiveStore = new NaiveRolloutStore(store)) } : {}),
  });
  try {
    await settle();
    const start = performance.now();
    const thread = await reader.runtime.resumeThread(rollout.threadId);
    const ms = performance.now() - start;
    if (!agentTaskEquals(thread.task, rollout.expected))
      throw new Error(`resume of ${rollout.label} restored the wrong task`);
    return { ms, bytesRead: naiveStore?.bytesRead ?? reader.rolloutStore.stats.bytesRead };
  } finally {
    await reader.runtime.close();
    reader.assertNoErrorEvents();
  }
}
