import { createAgentFetch } from '@agent-identity/api-bridge';
import {
  createAgentIdentityRuntime,
  MemoryAuthSource,
  MemoryIdentityStore,
  MemoryRolloutStore,
  type FetchFunction,
} from '@agent-identity/core';
import { responsesUrl } from '@agent-identity/protocol';
import { BackendProcess } from '../backend-process.js';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { measureRounds } from '../round-series.js';
import { percentile } from '../statistics.js';

const TARGET_MS = 100;

/**
 * Issue 12's abort: a request whose task the backend revoked, its re-registration hanging (the
 * backend takes the call and never answers), aborted once that registration is on the wire. The
 * figure is the time from `abort()` to `agentFetch` rejecting with `AbortError`.
 */
export const abortDuringRecoveryBenchmark: Benchmark = {
  id: 'abort-during-recovery',
  title: 'Abort during a hanging re-registration',
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const rounds = settings.quick ? 7 : 21;
    const backend = await BackendProcess.start();
    const { accessToken, accountId, userId } = BackendProcess.user;
    let registrationSent: (() => void) | undefined;
    const noticingFetch: FetchFunction = (url, init) => {
      if (url.endsWith('/task/register')) registrationSent?.();
      return globalThis.fetch(url, init);
    };
    const runtime = createAgentIdentityRuntime({
      useAgentIdentity: true,
      baseUrl: backend.baseUrl,
      authSource: new MemoryAuthSource({ mode: 'chatgpt', accessToken, accountId, userId }),
      identityStore: new MemoryIdentityStore(),
      rolloutStore: new MemoryRolloutStore(),
      fetch: noticingFetch,
    });
    try {
      const series = await measureRounds({ rounds, warmUp: true }, async () => {
        const thread = await runtime.startThread({ ephemeral: true });
        await thread.prewarmed;
        const task = thread.task;
        if (task === undefined) throw new Error('prewarm registered no task');
        await backend.admin.revokeTask(task.taskId);
        await backend.admin.injectFault('task_register', { kind: 'hang' }, 1);
        const sent = new Promise<void>((resolve) => {
          registrationSent = resolve;
        });
        const controller = new AbortController();
        const pending = createAgentFetch(thread)(responsesUrl(backend.baseUrl), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-5', input: 'hi', stream: true }),
          signal: controller.signal,
        });
        await sent;
        const abortedAt = performance.now();
        controller.abort();
        const error: unknown = await pending.then(
          () => undefined,
          (caught: unknown) => caught,
        );
        const elapsed = performance.now() - abortedAt;
        if (!(error instanceof DOMException) || error.name !== 'AbortError') {
          throw new Error('the aborted request did not reject with AbortError');
        }
        thread.close();
        return { ms: elapsed };
      });
      const samples = series.values('ms');
      const value = series.median('ms');
      return [
        {
          id: 'abort-during-recovery',
          title: 'agentFetch: abort() → AbortError while re-registering a revoked task (registration hangs)',
          unit: 'ms',
          value,
          target: { text: `≤ ${TARGET_MS} ms (worst run)`, met: Math.max(...samples) <= TARGET_MS },
          runs: samples.length,
          details: { p90Ms: percentile(samples, 90), maxMs: Math.max(...samples) },
        },
      ];
    } finally {
      await runtime.close();
      await backend.close();
    }
  },
};
