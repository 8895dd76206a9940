import { fileURLToPath } from 'node:url';
import type { TurnAuth } from '@agent-identity/core';
import { formatSecondsTimestamp, responsesUrl } from '@agent-identity/protocol';
import { BackendProcess } from '../backend-process.js';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { ChildServer } from '../child-server.js';
import { directTaskRegistration, type RegisteringAgent } from '../direct-task-registration.js';
import { clientRuntime } from '../client-runtime.js';
import { LoadClient, measureThroughput } from '../load-generator.js';
import { median } from '../statistics.js';
import { TempFolder } from '../temp-folder.js';

const CONCURRENCY = 16;
const WARMUP_MS = 300;
/** A registration is two requests plus well under 0.2 ms of cryptography: within 3× of bare HTTP. */
const MAX_REGISTRATION_RATIO = 3;
const bareServerScript = fileURLToPath(new URL('../bare-http-server.ts', import.meta.url));
const jsonHeaders = { 'content-type': 'application/json' };

/** The three loads of a round, each one operation of the closed loop. */
interface Operations {
  readonly bare: () => Promise<boolean>;
  readonly taskRegistration: () => Promise<boolean>;
  readonly downstream: () => Promise<boolean>;
}

function operations(
  client: LoadClient,
  backend: BackendProcess,
  bareUrl: string,
  auth: TurnAuth,
  agent: RegisteringAgent,
): Operations {
  const now = formatSecondsTimestamp(Date.now());
  const sampleBody = JSON.stringify({ signature: 'x'.repeat(88), timestamp: now });
  const modelRequest = JSON.stringify({ model: 'bench', input: 'hello', stream: true });
  return {
    bare: async () =>
      (await client.send(bareUrl, { method: 'POST', headers: jsonHeaders, body: sampleBody })).status === 200,
    taskRegistration: directTaskRegistration(client, backend.baseUrl, agent, { openSealedId: false }),
    // A model request as a turn sends it: the turn's headers, built per request.
    downstream: async () => {
      const answer = await client.send(responsesUrl(backend.baseUrl), {
        method: 'POST',
        headers: { ...jsonHeaders, ...auth.headers() },
        body: modelRequest,
      });
      return answer.status === 200 && answer.body.includes('response.completed');
    },
  };
}

/**
 * Figure 7: the reference backend's throughput over loopback — task registrations (biscuit and
 * registration: signature verified, task sealed) and verified downstream requests (an assertion
 * checked, an SSE answer streamed) per second — beside a bare `node:http` server answering a
 * constant JSON to the same closed-loop load (the limit of this machine, client and sockets).
 * The backend and the bare server each run in a child process; the load comes from this one.
 */
export const backendThroughputBenchmark: Benchmark = {
  id: 'backend-throughput',
  title: 'Reference backend throughput',
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const rounds = settings.quick ? 1 : 3;
    const durationMs = settings.quick ? 1000 : 1500;
    const backend = await BackendProcess.start();
    const bare = await ChildServer.start(bareServerScript);
    const home = await TempFolder.create('throughput');
    const client = new LoadClient(CONCURRENCY);
    const runtime = clientRuntime({ home: home.path, baseUrl: backend.baseUrl });
    try {
      const identity = await runtime.runtime.ensureIdentity();
      if (identity === undefined) throw new Error('no identity');
      const turn = await (await runtime.runtime.startThread()).beginTurn();
      if (!turn.ok || turn.auth.scheme !== 'assertion') throw new Error('no task for the downstream load');
      const load = operations(client, backend, bare.url, turn.auth, identity);
      const measure = (operation: () => Promise<boolean>) =>
        measureThroughput({ concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs, operation });

      const bareRates: number[] = [];
      const registrationRates: number[] = [];
      const downstreamRates: number[] = [];
      const registrationRatios: number[] = [];
      const downstreamRatios: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        const bareRate = await measure(load.bare);
        const registrationRate = await measure(load.taskRegistration);
        const downstreamRate = await measure(load.downstream);
        bareRates.push(bareRate);
        registrationRates.push(registrationRate);
        downstreamRates.push(downstreamRate);
        registrationRatios.push(bareRate / 2 / registrationRate);
        downstreamRatios.push(bareRate / downstreamRate);
      }
      runtime.assertNoErrorEvents();
      const registrationRatio = median(registrationRatios);
      const details = { concurrency: CONCURRENCY, durationMs, bareRequestsPerSecond: median(bareRates) };
      return [
        {
          id: 'backend-task-registrations',
          title: '7a. Reference backend: task registrations (biscuit + register)',
          unit: 'registrations/s',
          value: median(registrationRates),
          baseline: { title: 'bare node:http, 2 requests per registration', value: median(bareRates) / 2 },
          ratio: { value: registrationRatio, meaning: 'time: backend ÷ bare' },
          target: { text: `≤ ${MAX_REGISTRATION_RATIO}× bare`, met: registrationRatio <= MAX_REGISTRATION_RATIO },
          runs: rounds,
          details,
        },
        {
          id: 'backend-downstream',
          title: '7b. Reference backend: verified downstream requests (SSE)',
          unit: 'requests/s',
          value: median(downstreamRates),
          baseline: { title: 'bare node:http', value: median(bareRates) },
          ratio: { value: median(downstreamRatios), meaning: 'time: backend ÷ bare' },
          runs: rounds,
          details: {
            ...details,
            note: 'each request carries the turn’s header built per request (memoized per second), as an adapter sends it',
          },
        },
      ];
    } finally {
      client.close();
      await runtime.runtime.close();
      await Promise.all([backend.close(), bare.close()]);
      await home.remove();
    }
  },
};
