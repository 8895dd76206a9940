import { fileURLToPath } from 'node:url';
import { formatSecondsTimestamp } from '@agent-identity/protocol';
import { BackendBed } from '../backend-bed.js';
import type { BackendProcess } from '../backend-process.js';
import type { Benchmark } from '../bench-result.js';
import { ChildServer } from '../child-server.js';
import { ClosedLoop } from '../closed-loop.js';
import { comparisonResult } from '../comparison.js';
import { directTaskRegistration } from '../direct-task-registration.js';
import { downstreamRequest, downstreamTurn, type DownstreamTurn } from '../downstream-load.js';
import type { LoadClient } from '../load-generator.js';
import { measureRounds } from '../round-series.js';

/** A registration is two requests plus well under 0.2 ms of cryptography: within 3× of bare HTTP. */
const MAX_REGISTRATION_RATIO = 3;
const bareServerScript = fileURLToPath(new URL('../bare-http-server.ts', import.meta.url));

/** The three loads of a round, each one operation of the closed loop. */
interface Operations {
  readonly bare: () => Promise<boolean>;
  readonly taskRegistration: () => Promise<boolean>;
  readonly downstream: () => Promise<boolean>;
}

function operations(client: LoadClient, backend: BackendProcess, bareUrl: string, turn: DownstreamTurn): Operations {
  const now = formatSecondsTimestamp(Date.now());
  const sampleBody = JSON.stringify({ signature: 'x'.repeat(88), timestamp: now });
  return {
    bare: async () =>
      (
        await client.send(bareUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: sampleBody,
        })
      ).status === 200,
    taskRegistration: directTaskRegistration(client, backend.baseUrl, turn.agent, { openSealedId: false }),
    downstream: downstreamRequest(client, backend.baseUrl, turn.auth),
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
  run: (settings) =>
    BackendBed.run('throughput', async (bed) => {
      const loop = new ClosedLoop(settings);
      const bare = await ChildServer.start(bareServerScript);
      try {
        const runtime = bed.client();
        const load = operations(loop.client, bed.backend, bare.url, await downstreamTurn(runtime));
        const series = await measureRounds({ rounds: loop.rounds, warmUp: false }, async () => {
          const bareRate = await loop.rate(load.bare);
          const registration = await loop.rate(load.taskRegistration);
          const downstream = await loop.rate(load.downstream);
          // a registration is two requests: the bare server's rate per pair of requests is its limit
          return { bare: bareRate, barePair: bareRate / 2, registration, downstream };
        });
        runtime.assertNoErrorEvents();
        const registrations = series.compare(
          'registration',
          'barePair',
          (round) => round.barePair / round.registration,
        );
        const details = { ...loop.details, bareRequestsPerSecond: series.median('bare') };
        return [
          comparisonResult(
            {
              id: 'backend-task-registrations',
              title: '7a. Reference backend: task registrations (biscuit + register)',
              unit: 'registrations/s',
              baselineTitle: 'bare node:http, 2 requests per registration',
              ratioMeaning: 'time: backend ÷ bare',
              target: {
                text: `≤ ${MAX_REGISTRATION_RATIO}× bare`,
                met: registrations.ratio <= MAX_REGISTRATION_RATIO,
              },
              details,
            },
            registrations,
          ),
          comparisonResult(
            {
              id: 'backend-downstream',
              title: '7b. Reference backend: verified downstream requests (SSE)',
              unit: 'requests/s',
              baselineTitle: 'bare node:http',
              ratioMeaning: 'time: backend ÷ bare',
              details: {
                ...details,
                note: 'each request carries the turn’s header built per request (memoized per second), as an adapter sends it',
              },
            },
            series.compare('downstream', 'bare', (round) => round.bare / round.downstream),
          ),
        ];
      } finally {
        loop.close();
        await bare.close();
      }
    }),
};
