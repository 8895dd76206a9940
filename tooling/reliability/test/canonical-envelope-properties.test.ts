import { AgentSigningKey, buildAgentAssertion } from '@agent-identity/crypto';
import {
  decodeAgentAssertionHeader,
  encodeBase64UrlNoPad,
  formatSecondsTimestamp,
  type AgentAssertionEnvelope,
} from '@agent-identity/protocol';
import { createAgentVerifier } from '@agent-identity/verifier';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PURE_PROPERTY_RUNS } from './support/loop-counts.js';

// SPEC §5, security rules: an assertion has exactly one encoding. A verifier that accepted any
// JSON text meaning the same envelope would let one signature travel as many header strings.
const nowMs = Date.parse('2026-03-23T12:00:00Z');
const key = AgentSigningKey.fromSeed(new Uint8Array(32).fill(11));
const verifier = createAgentVerifier({ keys: { publicKey: () => key.sshPublicKey }, now: () => nowMs });
const FIELDS = ['agent_runtime_id', 'signature', 'task_id', 'timestamp'] as const;

/** A validly signed envelope with arbitrary ids (any Unicode, control characters, quotes). */
const envelopes = fc
  .record({
    agentRuntimeId: fc.string({ unit: 'grapheme-composite', minLength: 1 }),
    taskId: fc.oneof(fc.string({ unit: 'binary', minLength: 1 }), fc.constantFrom('task/1', 'a"b\\c', 'tab\there')),
    offsetSeconds: fc.integer({ min: -200, max: 200 }),
  })
  .map(({ agentRuntimeId, taskId, offsetSeconds }) =>
    decodeAgentAssertionHeader(
      buildAgentAssertion(key, {
        agentRuntimeId,
        taskId,
        timestamp: formatSecondsTimestamp(nowMs + offsetSeconds * 1000),
      }),
    ),
  );

/** One to three characters of the whitespace JSON allows between tokens. */
const jsonWhitespace: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(' ', '\t', '\n', '\r'),
  minLength: 1,
  maxLength: 3,
});

/** How to write the envelope's JSON text: every way that still parses to the same envelope. */
const encodings = fc.record({
  order: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }),
  /** Whitespace put at a token boundary: slot i is before token i of the token list. */
  whitespace: fc.array(fc.record({ slot: fc.nat(), text: jsonWhitespace }), { maxLength: 2 }),
  /** A character of a value written as a `\u` escape (which the canonical form never does for it). */
  escapes: fc.array(fc.record({ field: fc.nat(3), index: fc.nat(), upper: fc.boolean() }), { maxLength: 2 }),
  /** Keys written with a `\u` escape of their first letter. */
  escapedKeys: fc.array(fc.nat(3), { maxLength: 1 }),
  bom: fc.boolean(),
  /** A bogus first occurrence of a key (JSON.parse keeps the last). */
  duplicate: fc.option(fc.record({ field: fc.nat(3), value: fc.string() }), { nil: undefined }),
});

function escapeAt(value: string, index: number, upper: boolean): string {
  const at = index % value.length;
  const hex = value.charCodeAt(at).toString(16).padStart(4, '0');
  const escaped = `\\u${upper ? hex.toUpperCase() : hex}`;
  // the rest of the string keeps its canonical (JSON.stringify) escapes
  return `"${JSON.stringify(value.slice(0, at)).slice(1, -1)}${escaped}${JSON.stringify(value.slice(at + 1)).slice(1, -1)}"`;
}

type Encoding = typeof encodings extends fc.Arbitrary<infer T> ? T : never;

/** The envelope's JSON text written the way `encoding` says. */
function encode(envelope: AgentAssertionEnvelope, encoding: Encoding): string {
  const tokens = ['{'];
  if (encoding.duplicate !== undefined)
    tokens.push(JSON.stringify(FIELDS[encoding.duplicate.field]), ':', JSON.stringify(encoding.duplicate.value), ',');
  encoding.order.forEach((field, position) => {
    const name = FIELDS[field] ?? 'timestamp';
    const value = envelope[name];
    const escape = encoding.escapes.find((candidate) => candidate.field === field);
    tokens.push(
      encoding.escapedKeys.includes(field)
        ? `"\\u00${name.charCodeAt(0).toString(16)}${name.slice(1)}"`
        : JSON.stringify(name),
      ':',
      escape === undefined ? JSON.stringify(value) : escapeAt(value, escape.index, escape.upper),
    );
    if (position < FIELDS.length - 1) tokens.push(',');
  });
  tokens.push('}');
  for (const { slot, text } of encoding.whitespace) tokens.splice(slot % (tokens.length + 1), 0, text);
  return tokens.join('');
}

function headerOf(bom: boolean, json: string): string {
  return `AgentAssertion ${encodeBase64UrlNoPad(Buffer.from(`${bom ? '\uFEFF' : ''}${json}`, 'utf8'))}`;
}

describe('the verifier accepts exactly one encoding of an assertion (SPEC §5, security rules)', () => {
  it('any re-encoding of a validly signed envelope (key order, whitespace, \\u escapes, a BOM, a duplicate key) is refused as malformed; the canonical one is accepted', async () => {
    await fc.assert(
      fc.asyncProperty(envelopes, encodings, async (envelope, encoding) => {
        const canonical = Buffer.from(
          buildAgentAssertion(key, {
            agentRuntimeId: envelope.agent_runtime_id,
            taskId: envelope.task_id,
            timestamp: envelope.timestamp,
          }).slice('AgentAssertion '.length),
          'base64url',
        ).toString('utf8');
        const json = encode(envelope, encoding);
        // the re-encoding means the very same envelope: only its bytes differ
        expect(JSON.parse(json)).toEqual(envelope);

        const result = await verifier.verifyAssertion(headerOf(encoding.bom, json));

        if (json === canonical && !encoding.bom) {
          expect(result).toMatchObject({
            ok: true,
            identity: { agentRuntimeId: envelope.agent_runtime_id, taskId: envelope.task_id },
          });
        } else {
          expect(result).toMatchObject({ ok: false, reason: 'malformed' });
        }
      }),
      { numRuns: PURE_PROPERTY_RUNS },
    );
  });
});
