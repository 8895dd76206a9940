import { join } from 'node:path';
import type { AgentThread } from '@agent-identity/core';
import type { FaultEndpoint } from '@agent-identity/reference-backend';
import { BackendBed } from '../backend-bed.js';
import type { Benchmark } from '../bench-result.js';
import { comparisonResult } from '../comparison.js';
import { measureRounds } from '../round-series.js';

const INJECTED_LATENCY_MS = 20;
const TARGET_PREWARMED_MS = 1;
const TARGET_SPEEDUP = 20;
const REGISTRATION_ENDPOINTS: readonly FaultEndpoint[] = ['biscuit', 'agent_register', 'task_register'];

/** Milliseconds of the thread's first `beginTurn()`, which must yield an assertion. */
export async function firstTurnMs(thread: AgentThread): Promise<number> {
  const start = performance.now();
  const turn = await thread.beginTurn();
  const elapsed = performance.now() - start;
  if (!turn.ok || turn.auth.scheme !== 'assertion') throw new Error('a measured turn did not get a task');
  return elapsed;
}

/**
 * Figure 4: the first turn of a prewarmed thread (its task registered in the background at thread
 * start) beside the first turn of a cold one (`beginTurn()` right after `startThread()`, so the
 * turn waits for the registration), every backend call delayed by 20 ms on loopback. Rounds
 * alternate cold and prewarmed threads of one runtime whose identity is registered; a third
 * thread per round, on a fresh auth file, shows the very first turn of an agent (identity too).
 */
export const firstTurnBenchmark: Benchmark = {
  id: 'first-turn',
  title: 'First-turn latency',
  run: (settings) =>
    BackendBed.run('first-turn', async (bed) => {
      for (const endpoint of REGISTRATION_ENDPOINTS) {
        await bed.backend.admin.injectFault(endpoint, { kind: 'delay', delayMs: INJECTED_LATENCY_MS }, 1_000_000);
      }
      const client = bed.client();
      await client.runtime.ensureIdentity();

      const series = await measureRounds({ rounds: settings.quick ? 7 : 21, warmUp: true }, async (round) => {
        const cold = await firstTurnMs(await client.runtime.startThread());
        const warmThread = await client.runtime.startThread();
        await warmThread.prewarmed;
        const prewarmed = await firstTurnMs(warmThread);
        const fresh = bed.client({ authPath: join(bed.home.path, `auth-${round}.json`) });
        const firstEver = await firstTurnMs(await fresh.runtime.startThread());
        return { cold, prewarmed, firstEver };
      });
      bed.assertNoErrorEvents();

      const measured = series.compare('prewarmed', 'cold', (round) => round.cold / round.prewarmed);
      return [
        comparisonResult(
          {
            id: 'first-turn',
            title: `4. beginTurn(), prewarmed thread (${INJECTED_LATENCY_MS} ms per backend call)`,
            unit: 'ms',
            baselineTitle: 'cold thread: beginTurn() right after startThread()',
            ratioMeaning: 'cold ÷ prewarmed',
            target: {
              text: `≤ ${TARGET_PREWARMED_MS} ms and ≥ ${TARGET_SPEEDUP}× faster`,
              met: measured.value <= TARGET_PREWARMED_MS && measured.ratio >= TARGET_SPEEDUP,
            },
            details: {
              injectedLatencyMsPerCall: INJECTED_LATENCY_MS,
              prewarmedMaxMs: Math.max(...series.values('prewarmed')),
              firstTurnOfNewAgentMs: series.median('firstEver'),
            },
          },
          measured,
        ),
      ];
    }),
};
