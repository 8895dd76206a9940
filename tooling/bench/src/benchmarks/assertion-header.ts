import { createPrivateKey, sign } from 'node:crypto';
import { AgentAssertionSigner, AgentSigningKey, buildAgentAssertion, encodePkcs8V1 } from '@agent-identity/crypto';
import { agentAssertionMessage, formatSecondsTimestamp } from '@agent-identity/protocol';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { comparisonResult } from '../comparison.js';
import { measureSideBySide, nsPerOpComparison } from '../side-by-side.js';

const FRESH_TARGET_RATIO = 1.15;
const MEMOIZED_TARGET_OPS = 5_000_000;

const seed = new Uint8Array(32).fill(7);
const claims = { agentRuntimeId: 'agent-123', taskId: 'task-123' };
const startMs = Date.parse('2026-03-23T12:00:00Z');
/** Prepared seconds: a fresh header signs a new second each time, as it does in use. */
const SECONDS = 1024;

/**
 * Figures 1 and 2: what an `AgentAssertion` header costs. Fresh: the signer on a new second each
 * call (timestamp formatting, signature, base64, JSON, base64url) beside a bare `crypto.sign` of
 * the same message bytes with a ready `KeyObject` — the signature is the physical limit. Memoized:
 * the signer again within one second, beside a call returning a constant string.
 */
export const assertionHeaderBenchmark: Benchmark = {
  id: 'assertion-header',
  title: 'AgentAssertion header',
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const key = AgentSigningKey.fromSeed(seed);
    const bareKey = createPrivateKey({ key: Buffer.from(encodePkcs8V1(seed)), format: 'der', type: 'pkcs8' });
    const timestamps = Array.from({ length: SECONDS }, (_, i) => formatSecondsTimestamp(startMs + i * 1000));
    const messages = timestamps.map((timestamp) =>
      Buffer.from(agentAssertionMessage(claims.agentRuntimeId, claims.taskId, timestamp)),
    );
    const rounds = settings.quick ? 5 : 11;

    const signer = new AgentAssertionSigner(key, claims);
    const bareSign = { sync: (i: number) => sign(null, messages[i % SECONDS] ?? Buffer.alloc(0), bareKey).length };
    const fresh = await measureSideBySide({ rounds, iterations: settings.quick ? 500 : 2000 }, bareSign, {
      sync: (i) => signer.header(startMs + i * 1000).length,
    });
    const built = await measureSideBySide({ rounds, iterations: settings.quick ? 500 : 2000 }, bareSign, {
      sync: (i) => buildAgentAssertion(key, { ...claims, timestamp: timestamps[i % SECONDS] ?? '' }).length,
    });

    const constant = signer.header(startMs);
    const memoized = await measureSideBySide(
      { rounds, iterations: settings.quick ? 200_000 : 1_000_000 },
      { sync: () => constant.length },
      { sync: (i) => signer.header(startMs + (i % 1000)).length },
    );
    const memoizedOps = 1e9 / memoized.candidateNsPerOp;

    return [
      comparisonResult(
        {
          id: 'assertion-fresh',
          title: '1. AgentAssertion header, fresh (new second)',
          unit: 'ns/op',
          baselineTitle: 'bare crypto.sign, cached KeyObject',
          ratioMeaning: 'header ÷ bare sign',
          target: { text: `≤ ${FRESH_TARGET_RATIO}× bare sign`, met: fresh.ratio <= FRESH_TARGET_RATIO },
          details: {
            buildAgentAssertionNsPerOp: built.candidateNsPerOp,
            buildAgentAssertionRatio: built.ratio,
          },
        },
        nsPerOpComparison(fresh),
      ),
      {
        id: 'assertion-memoized',
        title: '2. AgentAssertion header, same second (memoized)',
        unit: 'ops/s',
        value: memoizedOps,
        baseline: { title: 'call returning a constant string', value: 1e9 / memoized.baselineNsPerOp },
        ratio: { value: memoized.ratio, meaning: 'time: memoized ÷ constant call' },
        target: { text: '≥ 5 M/s', met: memoizedOps >= MEMOIZED_TARGET_OPS },
        runs: memoized.rounds,
        details: { nsPerOp: memoized.candidateNsPerOp },
      },
    ];
  },
};
