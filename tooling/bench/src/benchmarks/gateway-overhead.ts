import { Agent, createServer, request as httpRequest } from 'node:http';
import { AdminApiRegistry, startAgentGateway, type RegistryAdmin } from '@agent-identity/agent-gateway';
import { AgentSigningKey, buildAgentAssertion } from '@agent-identity/crypto';
import { formatSecondsTimestamp } from '@agent-identity/protocol';
import { startBareProxy } from '../bare-proxy.js';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { serveOnLoopback, type LoopbackServer } from '../loopback-server.js';
import { comparisonResult } from '../comparison.js';
import { measureSideBySide, nsPerOpComparison } from '../side-by-side.js';

const AGENT = 'agent-bench';
const TASKS = 64;
const CREDENTIAL = 'Bearer upstream-key-of-the-gateway';
const REQUEST_BODY = JSON.stringify({ model: 'gpt-5', input: 'hello', stream: true });

/** A Responses-shaped SSE answer of a few events, the same bytes every time: the upstream costs next to nothing. */
const SSE_ANSWER = [
  'response.created',
  'response.output_text.delta',
  'response.output_text.delta',
  'response.completed',
]
  .map((type, index) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: index, delta: 'word ' })}\n\n`)
  .join('');

function startConstantUpstream(): Promise<LoopbackServer> {
  return serveOnLoopback(
    createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(SSE_ANSWER);
      });
    }),
  );
}

/** One streamed request over a keep-alive pool: resolves to the answer's length once it has all arrived. */
function post(agent: Agent, url: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${url}/v1/responses`, {
      method: 'POST',
      agent,
      headers: { authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(REQUEST_BODY) },
    });
    outgoing.on('response', (answer) => {
      let length = 0;
      answer.on('data', (chunk: Buffer) => (length += chunk.length));
      answer.on('end', () => {
        if (answer.statusCode === 200) resolve(length);
        else reject(new Error(`answered ${answer.statusCode ?? 0}`));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(REQUEST_BODY);
  });
}

/**
 * Figure 9: a streamed request through the agent-gateway (assertion verified against its registry,
 * credential swapped, SSE piped back) beside the same request through a bare `node:http` proxy
 * that checks nothing, both in front of one constant SSE upstream, sequential requests over
 * keep-alive, measured alternately round by round.
 */
export const gatewayOverheadBenchmark: Benchmark = {
  id: 'gateway',
  title: 'agent-gateway overhead per request',
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const key = AgentSigningKey.fromSeed(new Uint8Array(32).fill(9));
    const taskIds = Array.from({ length: TASKS }, (_, i) => `task_${i}`);
    // The registry as the backend's admin API would list it, held in memory: the gateway's own
    // registry code (snapshot, lookups) runs, the admin API's HTTP round trip does not.
    const createdAt = new Date(0).toISOString();
    const agentRecord = {
      agentRuntimeId: AGENT,
      publicKey: key.sshPublicKey,
      accountId: 'account_bench',
      userId: 'user_bench',
      abom: {},
      capabilities: [],
      createdAt,
      revokedAt: null,
    };
    const admin: RegistryAdmin = {
      agents: () => Promise.resolve([agentRecord]),
      tasks: () =>
        Promise.resolve(taskIds.map((taskId) => ({ taskId, agentRuntimeId: AGENT, createdAt, revokedAt: null }))),
      revokeTask: () => Promise.resolve(),
      revokeAgent: () => Promise.resolve(),
    };
    const upstream = await startConstantUpstream();
    const proxy = await startBareProxy(upstream.url, CREDENTIAL);
    const gateway = await startAgentGateway({
      upstream: upstream.url,
      upstreamAuthorization: CREDENTIAL,
      registry: new AdminApiRegistry(admin),
      admin,
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // A client signs once per second and task; the headers are re-signed when the second turns.
    let headersSecond = '';
    let headers: string[] = [];
    const headerFor = (i: number): string => {
      const timestamp = formatSecondsTimestamp(Date.now());
      if (timestamp !== headersSecond) {
        headersSecond = timestamp;
        headers = taskIds.map((taskId) => buildAgentAssertion(key, { agentRuntimeId: AGENT, taskId, timestamp }));
      }
      return headers[i % TASKS] ?? '';
    };
    try {
      const measured = await measureSideBySide(
        { rounds: settings.quick ? 5 : 15, iterations: settings.quick ? 200 : 500 },
        { async: (i) => post(agent, proxy.url, headerFor(i)) },
        { async: (i) => post(agent, gateway.url, headerFor(i)) },
      );
      const { accepted, refused } = gateway.ledger.totals();
      if (Object.keys(refused).length > 0) throw new Error(`the gateway refused requests: ${JSON.stringify(refused)}`);
      return [
        comparisonResult(
          {
            id: 'gateway-overhead',
            title: '9. agent-gateway, one streamed request (verify + forward + record)',
            unit: 'ns/op',
            baselineTitle: 'bare node:http proxy (no verification)',
            ratioMeaning: 'gateway ÷ bare proxy',
            details: {
              overheadNsPerRequest: measured.candidateNsPerOp - measured.baselineNsPerOp,
              tasks: TASKS,
              requestsVerified: accepted,
              answerBytes: Buffer.byteLength(SSE_ANSWER),
            },
            notes: [
              "client, proxies and upstream share one process; each header repeats within its second, so after the first request of a second the verifier's result cache answers it, as for a real client",
            ],
          },
          nsPerOpComparison(measured),
        ),
      ];
    } finally {
      agent.destroy();
      await gateway.close();
      await proxy.close();
      await upstream.close();
    }
  },
};
