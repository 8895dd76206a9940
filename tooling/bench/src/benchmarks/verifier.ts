import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { AgentSigningKey, buildAgentAssertion } from '@agent-identity/crypto';
import { agentAssertionMessage, decodeAgentAssertionHeader, formatSecondsTimestamp } from '@agent-identity/protocol';
import { createAgentVerifier } from '@agent-identity/verifier';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { comparisonResult } from '../comparison.js';
import { measureSideBySide, nsPerOpComparison, type Operation, type SideBySide } from '../side-by-side.js';

const TARGET_RATIO = 1.25;
const MANY_AGENTS = 10_000;
/** Distinct headers of the one-agent case (distinct task ids, so every signature differs). */
const ONE_AGENT_HEADERS = 1024;
const nowMs = Date.parse('2026-03-23T12:00:00Z');
const timestamp = formatSecondsTimestamp(nowMs);
/** DER prefix of an Ed25519 SubjectPublicKeyInfo: what `crypto.createPublicKey` takes a raw key in. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A signed header and what a bare `crypto.verify` of it needs, ready-made. */
interface SignedCase {
  readonly header: string;
  readonly agentRuntimeId: string;
  readonly message: Buffer;
  readonly signature: Buffer;
  readonly publicKey: KeyObject;
}

function signedCase(key: AgentSigningKey, agentRuntimeId: string, taskId: string, publicKey: KeyObject): SignedCase {
  const header = buildAgentAssertion(key, { agentRuntimeId, taskId, timestamp });
  const envelope = decodeAgentAssertionHeader(header);
  return {
    header,
    agentRuntimeId,
    message: Buffer.from(agentAssertionMessage(agentRuntimeId, taskId, timestamp)),
    signature: Buffer.from(envelope.signature, 'base64'),
    publicKey,
  };
}

function bareKeyObject(key: AgentSigningKey): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, key.publicKey]), format: 'der', type: 'spki' });
}

/** The verifier under test: keys from a map, result cache off so every call checks a signature. */
function verifierOver(keys: ReadonlyMap<string, string>) {
  return createAgentVerifier({
    keys: { publicKey: (agentRuntimeId) => keys.get(agentRuntimeId) },
    now: () => nowMs,
    resultCacheSize: 0,
  });
}

function operations(
  cases: readonly SignedCase[],
  keys: ReadonlyMap<string, string>,
): { bare: Operation; verifier: { async: (i: number) => Promise<number> } } {
  const verifier = verifierOver(keys);
  const at = (i: number): SignedCase => cases[i % cases.length] as SignedCase;
  return {
    bare: {
      sync: (i) => {
        const { message, publicKey, signature } = at(i);
        return verify(null, message, publicKey, signature) ? 1 : 0;
      },
    },
    verifier: { async: async (i) => ((await verifier.verifyAssertion(at(i).header)).ok ? 1 : 0) },
  };
}

async function assertAllVerify(cases: readonly SignedCase[], keys: ReadonlyMap<string, string>): Promise<void> {
  const verifier = verifierOver(keys);
  for (const { header } of cases) {
    const result = await verifier.verifyAssertion(header);
    if (!result.ok) throw new Error(`the benchmark's own header was refused: ${result.reason}`);
  }
}

function verifierResult(
  id: string,
  title: string,
  measured: SideBySide,
  details: Record<string, unknown>,
): BenchResult {
  return comparisonResult(
    {
      id,
      title,
      unit: 'ns/op',
      baselineTitle: 'bare crypto.verify, cached KeyObject',
      ratioMeaning: 'verifier ÷ bare verify',
      target: { text: `≤ ${TARGET_RATIO}× bare verify`, met: measured.ratio <= TARGET_RATIO },
      details,
    },
    nsPerOpComparison(measured),
  );
}

/**
 * Figure 3: `AgentVerifier.verifyAssertion` (decode, window, key lookup, signature) beside a bare
 * `crypto.verify` of the same message with a ready `KeyObject`. Distinct headers and the result
 * cache off, so every call checks a signature; then 10,000 agents, each with its own key, whose
 * imported keys must stay cached (the first pass, which imports them, is reported beside).
 */
export const verifierBenchmark: Benchmark = {
  id: 'verifier',
  title: 'AgentVerifier.verifyAssertion',
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const rounds = settings.quick ? 5 : 11;

    const key = AgentSigningKey.fromSeed(new Uint8Array(32).fill(7));
    const oneKey = new Map([['agent-123', key.sshPublicKey]]);
    const publicKey = bareKeyObject(key);
    const oneAgent = Array.from({ length: ONE_AGENT_HEADERS }, (_, i) =>
      signedCase(key, 'agent-123', `task-${i}`, publicKey),
    );
    await assertAllVerify(oneAgent, oneKey);
    const single = operations(oneAgent, oneKey);
    const singleMeasured = await measureSideBySide(
      { rounds, iterations: settings.quick ? 300 : 1000 },
      single.bare,
      single.verifier,
    );

    const manyKeys = new Map<string, string>();
    const manyAgents = Array.from({ length: MANY_AGENTS }, (_, i) => {
      const agentKey = AgentSigningKey.generate();
      const agentRuntimeId = `agent-${i}`;
      manyKeys.set(agentRuntimeId, agentKey.sshPublicKey);
      return signedCase(agentKey, agentRuntimeId, 'task-1', bareKeyObject(agentKey));
    });
    const many = operations(manyAgents, manyKeys);
    // The first pass over every agent imports its key: the cost the cache saves afterwards.
    const coldStart = process.hrtime.bigint();
    for (let i = 0; i < MANY_AGENTS; i += 1) await many.verifier.async(i);
    const coldNsPerOp = Number(process.hrtime.bigint() - coldStart) / MANY_AGENTS;
    const manyMeasured = await measureSideBySide({ rounds, iterations: 1000 }, many.bare, many.verifier);

    return [
      verifierResult('verifier-one-agent', '3a. Verifier, distinct headers (result cache off)', singleMeasured, {
        distinctHeaders: ONE_AGENT_HEADERS,
      }),
      verifierResult('verifier-10k-agents', '3b. Verifier, 10,000 distinct agents (keys cached)', manyMeasured, {
        agents: MANY_AGENTS,
        firstPassNsPerOp: coldNsPerOp,
        firstPassRatio: coldNsPerOp / manyMeasured.baselineNsPerOp,
      }),
    ];
  },
};
