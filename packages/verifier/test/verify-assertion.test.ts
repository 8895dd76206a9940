import { AgentSigningKey, buildAgentAssertion } from '@agent-identity/crypto';
import { encodeAgentAssertionHeader, encodeBase64UrlNoPad } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { createAgentVerifier, VerifierError } from '../src/index.js';
import { golden, goldenEpochMs } from './golden-vectors.js';
import { VerifierHarness } from './verifier-harness.js';

function token(json: string): string {
  return `AgentAssertion ${encodeBase64UrlNoPad(Buffer.from(json, 'utf8'))}`;
}

describe('verifyAssertion', () => {
  it('accepts the SPEC golden header and returns the identity it proves', async () => {
    const harness = new VerifierHarness();
    await expect(harness.verifier.verifyAssertion(golden.assertion.header)).resolves.toEqual({
      ok: true,
      identity: {
        agentRuntimeId: 'agent-123',
        taskId: 'task-123',
        timestamp: '2026-03-23T12:00:00Z',
        epochMs: goldenEpochMs,
      },
    });
  });

  it('accepts any task without a task registry', async () => {
    const harness = new VerifierHarness();
    const verifier = createAgentVerifier({
      keys: { publicKey: (id) => harness.keys.get(id) },
      now: () => goldenEpochMs,
    });
    const result = await verifier.verifyAssertion(harness.header({ taskId: 'task-never-registered' }));
    expect(result).toMatchObject({ ok: true, identity: { taskId: 'task-never-registered' } });
  });

  describe('V1 malformed', () => {
    const harness = new VerifierHarness();
    const goldenToken = golden.assertion.header.slice('AgentAssertion '.length);
    const cases: [string, string | undefined][] = [
      ['no header', undefined],
      ['an empty header', ''],
      ['a Bearer header', 'Bearer abc'],
      ['the scheme alone', 'AgentAssertion '],
      ['padded base64url', `AgentAssertion ${goldenToken}=`],
      ['standard base64', `AgentAssertion ${Buffer.from('{"a":"+/?"}').toString('base64')}`],
      ['a token that is not JSON', token('not json')],
      [
        'an envelope missing task_id',
        token('{"agent_runtime_id":"agent-123","signature":"x","timestamp":"2026-03-23T12:00:00Z"}'),
      ],
      [
        'an envelope with a number',
        token('{"agent_runtime_id":1,"signature":"x","task_id":"t","timestamp":"2026-03-23T12:00:00Z"}'),
      ],
      [
        'an envelope with an extra key',
        token(`{"agent_runtime_id":"a","signature":"x","task_id":"t","timestamp":"2026-03-23T12:00:00Z","x":"y"}`),
      ],
      [
        'a timestamp with milliseconds',
        encodeAgentAssertionHeader({ ...envelope(), timestamp: '2026-03-23T12:00:00.000Z' }),
      ],
      [
        'a timestamp with an offset',
        encodeAgentAssertionHeader({ ...envelope(), timestamp: '2026-03-23T12:00:00+00:00' }),
      ],
      ['a signature that is not base64', encodeAgentAssertionHeader({ ...envelope(), signature: 'not base64!' })],
      [
        'a signature of 63 bytes',
        encodeAgentAssertionHeader({ ...envelope(), signature: Buffer.alloc(63).toString('base64') }),
      ],
      [
        'a signature without padding',
        encodeAgentAssertionHeader({ ...envelope(), signature: golden.assertion.signature.replace(/=+$/, '') }),
      ],
    ];
    /** The golden envelope's JSON text, signed and valid, re-encoded in ways SPEC §3.6 does not. */
    const goldenJson = Buffer.from(goldenToken, 'base64url').toString('utf8');
    const nonCanonical: [string, string][] = [
      [
        'reordered keys',
        JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(goldenJson) as object).reverse())),
      ],
      ['whitespace after a colon', goldenJson.replace('":"', '": "')],
      ['a trailing newline', `${goldenJson}\n`],
      ['a \\u escape of a plain character', goldenJson.replace('"agent-123"', '"\\u0061gent-123"')],
      ['a \\u escape of a hyphen', goldenJson.replace('"task-123"', '"task\\u002d123"')],
      ['a byte order mark', `\uFEFF${goldenJson}`],
      ['a bogus first duplicate agent_runtime_id', goldenJson.replace('{', '{"agent_runtime_id":"agent-evil",')],
    ];
    it.each(nonCanonical)(
      'rejects the golden assertion re-encoded with %s as malformed (SPEC §5: one signature, one header)',
      async (_name, json) => {
        const result = await harness.verifier.verifyAssertion(token(json));
        expect(result).toMatchObject({ ok: false, reason: 'malformed' });
        expect(result.ok || result.message).toBe(
          'AgentAssertion header is malformed: the token is not the canonical encoding of its envelope',
        );
      },
    );
    it('accepts the golden header itself, and its scheme in any case with several spaces (RFC 7235)', async () => {
      expect(await harness.verifier.verifyAssertion(golden.assertion.header)).toMatchObject({ ok: true });
      expect(await harness.verifier.verifyAssertion(`agentassertion   ${goldenToken}`)).toMatchObject({ ok: true });
    });
    it.each(cases)('rejects %s as malformed', async (_name, header) => {
      const result = await harness.verifier.verifyAssertion(header);
      expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    });

    it('never throws for a header of any type', async () => {
      const result = await harness.verifier.verifyAssertion(42 as unknown as string);
      expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    });
  });

  describe('V2 window (±300 s by default, injected clock)', () => {
    const cases: [string, number, string | undefined][] = [
      ['299 s old', -299, undefined],
      ['300 s old', -300, undefined],
      ['301 s old', -301, 'expired'],
      ['299 s ahead', 299, undefined],
      ['300 s ahead', 300, undefined],
      ['301 s ahead', 301, 'from_future'],
    ];
    it.each(cases)('a timestamp %s → %s', async (_name, offsetSeconds, reason) => {
      const harness = new VerifierHarness();
      const header = harness.header({ epochMs: goldenEpochMs + offsetSeconds * 1000 });
      const result = await harness.verifier.verifyAssertion(header);
      expect(result.ok ? undefined : result.reason).toBe(reason);
    });

    it('compares whole seconds: 300 s old is accepted until the clock reaches the 301st second', async () => {
      const harness = new VerifierHarness();
      const header = harness.header({ epochMs: goldenEpochMs - 300_000 });
      harness.nowMs = goldenEpochMs + 999;
      expect((await harness.verifier.verifyAssertion(header)).ok).toBe(true);
      harness.nowMs = goldenEpochMs + 1000;
      expect(await harness.verifier.verifyAssertion(header)).toMatchObject({ ok: false, reason: 'expired' });
    });

    it('uses a configured window', async () => {
      const harness = new VerifierHarness({ windowSeconds: 10 });
      expect(await harness.verifier.verifyAssertion(harness.header({ epochMs: goldenEpochMs - 11_000 }))).toMatchObject(
        {
          reason: 'expired',
        },
      );
      expect((await harness.verifier.verifyAssertion(harness.header({ epochMs: goldenEpochMs - 10_000 }))).ok).toBe(
        true,
      );
    });

    it('checks the window of a header it has verified before', async () => {
      const harness = new VerifierHarness();
      const header = harness.header();
      expect((await harness.verifier.verifyAssertion(header)).ok).toBe(true);
      harness.nowMs += 301_000;
      expect(await harness.verifier.verifyAssertion(header)).toMatchObject({ ok: false, reason: 'expired' });
    });
  });

  describe('V3 key lookup', () => {
    it('rejects an unregistered runtime id as unknown_agent', async () => {
      const harness = new VerifierHarness();
      const result = await harness.verifier.verifyAssertion(harness.header({ agentRuntimeId: 'agent-999' }));
      expect(result).toEqual({ ok: false, reason: 'unknown_agent', message: 'agent agent-999 is not registered' });
    });

    it('rejects a header verified before once its agent is removed from the registry', async () => {
      const harness = new VerifierHarness();
      const header = harness.header();
      expect((await harness.verifier.verifyAssertion(header)).ok).toBe(true);
      harness.keys.delete('agent-123');
      expect(await harness.verifier.verifyAssertion(header)).toMatchObject({ ok: false, reason: 'unknown_agent' });
    });

    it('uses the new key at once when the registry rotates an agent key', async () => {
      const harness = new VerifierHarness();
      const oldHeader = harness.header();
      expect((await harness.verifier.verifyAssertion(oldHeader)).ok).toBe(true);
      const newKey = AgentSigningKey.generate();
      harness.keys.set('agent-123', newKey.sshPublicKey);
      expect(await harness.verifier.verifyAssertion(oldHeader)).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect((await harness.verifier.verifyAssertion(harness.header({ key: newKey }))).ok).toBe(true);
    });

    it('throws VerifierError REGISTERED_KEY_INVALID when the registry returns a broken key', async () => {
      const harness = new VerifierHarness();
      harness.keys.set('agent-123', 'ssh-ed25519 AAAA');
      const error: unknown = await harness.verifier
        .verifyAssertion(harness.header())
        .catch((caught: unknown) => caught);
      expect(VerifierError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'REGISTERED_KEY_INVALID' });
    });

    it('propagates an error of the key registry', async () => {
      const failure = new Error('database down');
      const verifier = createAgentVerifier({
        keys: { publicKey: () => Promise.reject(failure) },
        now: () => goldenEpochMs,
      });
      await expect(verifier.verifyAssertion(golden.assertion.header)).rejects.toBe(failure);
    });
  });

  describe('V4 task check', () => {
    it('rejects a task the registry does not know as unknown_task', async () => {
      const harness = new VerifierHarness();
      const result = await harness.verifier.verifyAssertion(harness.header({ taskId: 'task-999' }));
      expect(result).toMatchObject({ ok: false, reason: 'unknown_task' });
    });

    it('rejects a revoked task as task_invalid, even if the same header passed before', async () => {
      const harness = new VerifierHarness();
      const header = harness.header();
      expect((await harness.verifier.verifyAssertion(header)).ok).toBe(true);
      harness.tasks.set('agent-123/task-123', 'revoked');
      expect(await harness.verifier.verifyAssertion(header)).toMatchObject({ ok: false, reason: 'task_invalid' });
    });

    it('rejects a task of another agent as unknown_task', async () => {
      const harness = new VerifierHarness();
      const otherKey = AgentSigningKey.generate();
      harness.keys.set('agent-456', otherKey.sshPublicKey);
      const result = await harness.verifier.verifyAssertion(
        harness.header({ agentRuntimeId: 'agent-456', key: otherKey }),
      );
      expect(result).toMatchObject({ ok: false, reason: 'unknown_task' });
    });
  });

  describe('V5 signature', () => {
    it('rejects a header signed by another key as bad_signature', async () => {
      const harness = new VerifierHarness();
      const result = await harness.verifier.verifyAssertion(harness.header({ key: AgentSigningKey.generate() }));
      expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it('rejects a signature moved onto other claims as bad_signature', async () => {
      const harness = new VerifierHarness();
      harness.tasks.set('agent-123/task-456', 'active');
      const forged = encodeAgentAssertionHeader({ ...envelope(), task_id: 'task-456' });
      expect(await harness.verifier.verifyAssertion(forged)).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it('gives the same answers with the result cache turned off', async () => {
      const harness = new VerifierHarness({ resultCacheSize: 0, keyCacheSize: 0 });
      const header = harness.header();
      expect((await harness.verifier.verifyAssertion(header)).ok).toBe(true);
      expect((await harness.verifier.verifyAssertion(header)).ok).toBe(true);
      harness.keys.set('agent-123', AgentSigningKey.generate().sshPublicKey);
      expect(await harness.verifier.verifyAssertion(header)).toMatchObject({ reason: 'bad_signature' });
    });
  });

  it('never puts the header or the signature in a rejection message', async () => {
    const harness = new VerifierHarness();
    const forged = harness.header({ key: AgentSigningKey.generate() });
    const result = await harness.verifier.verifyAssertion(forged);
    const signature = JSON.parse(Buffer.from(forged.split(' ')[1]!, 'base64url').toString()) as { signature: string };
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).not.toContain(signature.signature);
    expect(message).not.toContain(forged.split(' ')[1]!);
  });

  it('returns an identity the caller may change without affecting later answers', async () => {
    const harness = new VerifierHarness();
    const header = buildAgentAssertion(harness.agentKey, {
      agentRuntimeId: 'agent-123',
      taskId: 'task-123',
      timestamp: golden.assertion.timestamp,
    });
    const first = await harness.verifier.verifyAssertion(header);
    if (first.ok) first.identity.taskId = 'changed';
    expect(await harness.verifier.verifyAssertion(header)).toMatchObject({
      ok: true,
      identity: { taskId: 'task-123' },
    });
  });
});

function envelope(): { agent_runtime_id: string; signature: string; task_id: string; timestamp: string } {
  return {
    agent_runtime_id: golden.assertion.agent_runtime_id,
    signature: golden.assertion.signature,
    task_id: golden.assertion.task_id,
    timestamp: golden.assertion.timestamp,
  };
}
