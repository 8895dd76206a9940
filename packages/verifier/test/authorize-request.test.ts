import { describe, expect, it } from 'vitest';
import { authorizeRequest, downstreamRejectionCode, parseAuthorization } from '../src/index.js';
import { VerifierHarness } from './verifier-harness.js';

describe('authorizeRequest (SPEC §3.8)', () => {
  const harness = new VerifierHarness();
  const bearerUsers = new Map([['good-token', { user: 'user-123' }]]);
  const withBearer = { verifier: harness.verifier, authenticateBearer: (token: string) => bearerUsers.get(token) };

  it('A2: a valid assertion gives the verified agent and task', async () => {
    const result = await authorizeRequest(harness.header(), { verifier: harness.verifier });
    expect(result).toMatchObject({
      ok: true,
      caller: { scheme: 'assertion', identity: { agentRuntimeId: 'agent-123', taskId: 'task-123' } },
    });
  });

  it('A2: a rejected assertion answers with the SPEC code of the verifier reason', async () => {
    expect(await authorizeRequest(harness.header({ taskId: 'task-unknown' }), withBearer)).toMatchObject({
      ok: false,
      code: 'unknown_task',
    });
    expect(await authorizeRequest('AgentAssertion !!', withBearer)).toMatchObject({
      ok: false,
      code: 'malformed_assertion',
    });
  });

  it('A1: no or a blank Authorization is missing_authorization', async () => {
    for (const value of [undefined, '', '   ']) {
      expect(await authorizeRequest(value, withBearer)).toMatchObject({ ok: false, code: 'missing_authorization' });
    }
  });

  it('A3: a bearer token is checked by authenticateBearer, any scheme case', async () => {
    expect(await authorizeRequest('bearer good-token', withBearer)).toEqual({
      ok: true,
      caller: { scheme: 'bearer', identity: { user: 'user-123' } },
    });
    expect(await authorizeRequest('Bearer bad-token', withBearer)).toMatchObject({ ok: false, code: 'invalid_token' });
  });

  it('A3/A4: without authenticateBearer a bearer token, like any other scheme, is invalid_token', async () => {
    const onlyAssertions = await authorizeRequest('Bearer good-token', { verifier: harness.verifier });
    expect(onlyAssertions).toEqual({
      ok: false,
      code: 'invalid_token',
      message: 'Authorization must be "AgentAssertion <token>"',
    });
    expect(await authorizeRequest('Basic dXNlcjpwYXNz', withBearer)).toMatchObject({
      ok: false,
      code: 'invalid_token',
    });
  });

  it('maps every verifier reason to its SPEC code', () => {
    expect(downstreamRejectionCode('malformed')).toBe('malformed_assertion');
    for (const reason of [
      'unknown_agent',
      'unknown_task',
      'task_invalid',
      'bad_signature',
      'expired',
      'from_future',
    ] as const) {
      expect(downstreamRejectionCode(reason)).toBe(reason);
    }
  });

  it('parseAuthorization reads the scheme case-insensitively and never mistakes one for another', () => {
    expect(parseAuthorization('AGENTASSERTION abc')).toEqual({
      scheme: 'agent_assertion',
      header: 'AGENTASSERTION abc',
    });
    expect(parseAuthorization('AgentAssertionX abc')).toEqual({ scheme: 'other' });
    expect(parseAuthorization('Bearer a b')).toEqual({ scheme: 'other' });
  });
});
