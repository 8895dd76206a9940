import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AssertionHeaderError,
  type AssertionHeaderErrorReason,
  MAX_ASSERTION_HEADER_LENGTH,
  agentAssertionMessage,
  decodeAgentAssertionHeader,
  encodeAgentAssertionHeader,
} from '../src/index.js';
import { thrownBy } from './thrown-by.js';

interface GoldenAssertion {
  agent_runtime_id: string;
  task_id: string;
  timestamp: string;
  message: string;
  signature: string;
  header: string;
}
const golden = (
  JSON.parse(readFileSync(new URL('fixtures/golden-vectors.json', import.meta.url), 'utf8')) as {
    assertion: GoldenAssertion;
  }
).assertion;

const goldenEnvelope = {
  agent_runtime_id: golden.agent_runtime_id,
  signature: golden.signature,
  task_id: golden.task_id,
  timestamp: golden.timestamp,
};

function tokenOf(json: string): string {
  return Buffer.from(json, 'utf8').toString('base64url');
}

function expectRejected(header: string, reason: AssertionHeaderErrorReason): AssertionHeaderError {
  const error = thrownBy(() => decodeAgentAssertionHeader(header));
  expect(AssertionHeaderError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ code: 'ASSERTION_MALFORMED', reason });
  return error as AssertionHeaderError;
}

describe('agentAssertionMessage', () => {
  it('joins runtime, task and timestamp with colons (SPEC §3.6)', () => {
    expect(agentAssertionMessage(golden.agent_runtime_id, golden.task_id, golden.timestamp)).toBe(golden.message);
  });
});

describe('encodeAgentAssertionHeader', () => {
  it('re-creates the golden header byte for byte', () => {
    expect(encodeAgentAssertionHeader(goldenEnvelope)).toBe(golden.header);
  });

  it('writes the keys in the SPEC order whatever the object order', () => {
    const reordered = {
      timestamp: golden.timestamp,
      task_id: golden.task_id,
      signature: golden.signature,
      agent_runtime_id: golden.agent_runtime_id,
    };
    expect(encodeAgentAssertionHeader(reordered)).toBe(golden.header);
  });

  it('escapes strings like serde_json and keeps non-ASCII as UTF-8', () => {
    const header = encodeAgentAssertionHeader({ ...goldenEnvelope, task_id: 'tâche "1"\\\n\u0001' });
    const json = Buffer.from(header.slice('AgentAssertion '.length), 'base64url').toString('utf8');
    expect(json).toContain('"task_id":"tâche \\"1\\"\\\\\\n\\u0001"');
  });
});

describe('decodeAgentAssertionHeader', () => {
  it('decodes the golden header to the golden envelope', () => {
    expect(decodeAgentAssertionHeader(golden.header)).toEqual(goldenEnvelope);
  });

  it('round-trips: decode then encode gives the golden header back', () => {
    expect(encodeAgentAssertionHeader(decodeAgentAssertionHeader(golden.header))).toBe(golden.header);
  });

  it('accepts the scheme in any case and several spaces (RFC 7235)', () => {
    const token = golden.header.slice('AgentAssertion '.length);
    expect(decodeAgentAssertionHeader(`agentassertion ${token}`)).toEqual(goldenEnvelope);
    expect(decodeAgentAssertionHeader(`AGENTASSERTION   ${token}`)).toEqual(goldenEnvelope);
  });

  it('accepts the keys in any order', () => {
    const json = JSON.stringify({
      timestamp: golden.timestamp,
      task_id: golden.task_id,
      agent_runtime_id: golden.agent_runtime_id,
      signature: golden.signature,
    });
    expect(decodeAgentAssertionHeader(`AgentAssertion ${tokenOf(json)}`)).toEqual(goldenEnvelope);
  });

  it('too_long: rejects a header over the cap before decoding it', () => {
    const header = `AgentAssertion ${'A'.repeat(MAX_ASSERTION_HEADER_LENGTH)}`;
    expectRejected(header, 'too_long');
  });

  it('missing_scheme: Bearer, no scheme, scheme without token separator', () => {
    const token = golden.header.slice('AgentAssertion '.length);
    expectRejected(`Bearer ${token}`, 'missing_scheme');
    expectRejected(token, 'missing_scheme');
    expectRejected(`AgentAssertion${token}`, 'missing_scheme');
    expectRejected(`AgentAssertion\t${token}`, 'missing_scheme');
    expectRejected('', 'missing_scheme');
  });

  it('bad_base64: empty token, padding, standard alphabet, stray characters', () => {
    const token = golden.header.slice('AgentAssertion '.length);
    expectRejected('AgentAssertion ', 'bad_base64');
    expectRejected(`AgentAssertion ${token}=`, 'bad_base64');
    expectRejected(`AgentAssertion /${token.slice(1)}`, 'bad_base64');
    expectRejected(`AgentAssertion ${token} `, 'bad_base64');
    expectRejected(`AgentAssertion ${token}.sig`, 'bad_base64');
  });

  it('not_json: not JSON, or not UTF-8', () => {
    expectRejected(`AgentAssertion ${tokenOf('{"agent_runtime_id":')}`, 'not_json');
    expectRejected(`AgentAssertion ${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}`, 'not_json');
  });

  it('invalid_envelope: wrong types, missing or extra keys, bad timestamp, not an object', () => {
    const cases: [object | string, string][] = [
      [{ ...goldenEnvelope, signature: 7 }, 'envelope signature must be a string'],
      [{ ...goldenEnvelope, task_id: undefined }, 'envelope task_id must be a string'],
      [{ ...goldenEnvelope, extra: 'x' }, 'envelope has an unknown key'],
      [{ ...goldenEnvelope, timestamp: '2026-03-23T12:00:00.000Z' }, 'envelope timestamp must be an RFC 3339'],
      [[goldenEnvelope], 'envelope must be an object'],
      ['a string', 'envelope must be an object'],
    ];
    for (const [value, message] of cases) {
      const error = expectRejected(`AgentAssertion ${tokenOf(JSON.stringify(value))}`, 'invalid_envelope');
      expect(error.message).toContain(message);
    }
  });

  it('never echoes the header in the message', () => {
    const secretish = { ...goldenEnvelope, signature: 12345, task_id: 'secret-task-id' };
    const error = expectRejected(`AgentAssertion ${tokenOf(JSON.stringify(secretish))}`, 'invalid_envelope');
    expect(error.message).not.toContain('secret-task-id');
    expect(error.message).not.toContain('12345');
  });

  it('throws only AssertionHeaderError on arbitrary input (property)', () => {
    const headers = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string().map((text) => `AgentAssertion ${text}`),
      fc.jsonValue().map((value) => `AgentAssertion ${tokenOf(JSON.stringify(value))}`),
      fc
        .record({
          agent_runtime_id: fc.string(),
          signature: fc.string(),
          task_id: fc.string(),
          timestamp: fc.oneof(fc.string(), fc.constant(golden.timestamp)),
        })
        .map((value) => `AgentAssertion ${tokenOf(JSON.stringify(value))}`),
    );
    fc.assert(
      fc.property(headers, (header) => {
        try {
          const envelope = decodeAgentAssertionHeader(header);
          expect(encodeAgentAssertionHeader(envelope).length).toBeGreaterThan(15);
        } catch (error) {
          expect(AssertionHeaderError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any well-formed envelope (property)', () => {
    const timestamps = fc
      .integer({ min: 0, max: 253_402_300_799 })
      .map((seconds) => new Date(seconds * 1000).toISOString().slice(0, 19) + 'Z');
    fc.assert(
      fc.property(
        fc.record({
          agent_runtime_id: fc.string({ unit: 'grapheme' }),
          signature: fc.string(),
          task_id: fc.string({ unit: 'grapheme' }),
          timestamp: timestamps,
        }),
        (envelope) => {
          expect(decodeAgentAssertionHeader(encodeAgentAssertionHeader(envelope))).toEqual(envelope);
        },
      ),
    );
  });
});
