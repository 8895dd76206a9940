// Prints what an assertion header costs next to the bare Ed25519 signature it contains, and how
// fast a memoized repeat is. Ratios, not asserts: run with `pnpm --filter @agent-identity/crypto bench`.
import { createPrivateKey, sign } from 'node:crypto';
import { AgentAssertionSigner, AgentSigningKey, buildAgentAssertion, encodePkcs8V1 } from '../src/index.js';

const seed = new Uint8Array(32).fill(7);
const key = AgentSigningKey.fromSeed(seed);
const bareKey = createPrivateKey({ key: Buffer.from(encodePkcs8V1(seed)), format: 'der', type: 'pkcs8' });
const epochMs = Date.parse('2026-03-23T12:00:00Z');
const timestamps = Array.from({ length: 1024 }, (_, i) => new Date(epochMs + i * 1000).toISOString().slice(0, 19) + 'Z');

let sink = 0;

/** Nanoseconds per call of `run(i)`, best of several rounds (the least disturbed by the machine). */
function measure(iterations: number, run: (i: number) => number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 7; round += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) sink += run(i);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / iterations);
  }
  return best;
}

const messages = timestamps.map((timestamp) => Buffer.from(`agent-123:task-123:${timestamp}`));

// Each iteration signs a different second, as fresh headers do; the bare baseline gets its
// message bytes ready-made.
const bare = measure(20_000, (i) => sign(null, messages[i & 1023] ?? Buffer.alloc(0), bareKey).length);
const fresh = measure(20_000, (i) =>
  buildAgentAssertion(key, { agentRuntimeId: 'agent-123', taskId: 'task-123', timestamp: timestamps[i & 1023] ?? '' }).length,
);
const signer = new AgentAssertionSigner(key, { agentRuntimeId: 'agent-123', taskId: 'task-123' });
let second = 0;
const newSecond = measure(20_000, () => signer.header(epochMs + (second += 1) * 1000).length);
const repeat = measure(5_000_000, (i) => signer.header(epochMs + (i & 511)).length);

console.log(`bare crypto.sign (cached KeyObject): ${(bare / 1000).toFixed(2)} µs`);
console.log(`buildAgentAssertion (fresh header):  ${(fresh / 1000).toFixed(2)} µs  ratio ${(fresh / bare).toFixed(3)} (target ≤ 1.15)`);
console.log(`AgentAssertionSigner.header new second: ${(newSecond / 1000).toFixed(2)} µs  ratio ${(newSecond / bare).toFixed(3)}`);
console.log(`AgentAssertionSigner.header repeat:  ${repeat.toFixed(1)} ns  ${(1e9 / repeat / 1e6).toFixed(1)} M/s (target ≥ 5 M/s)`);
if (sink === 0) console.log('(unreachable: keeps the work observable)');
