import { AgentPublicKey, AgentSigningKey } from '@agent-identity/crypto';
import { describe, expect, it } from 'vitest';
import { startReferenceBackend } from '../src/index.js';
import { postWithBiscuit, registrationBody } from './protocol-client.js';
import { alice, errorOf } from './test-users.js';

/**
 * `raw`'s point plus the point of order 2, (x, y) + (0, −1) = (−x, −y): a valid curve point, not
 * of small order, with a torsion component. Whoever knows the original seed can make signatures
 * that verify under it (those whose hash scalar is even), yet no task id can be sealed to it.
 */
function withTorsion(raw: Uint8Array): AgentPublicKey {
  const p = 2n ** 255n - 19n;
  const bytes = Buffer.from(raw).reverse(); // big-endian
  const xIsOdd = ((bytes[0] ?? 0) & 0x80) !== 0;
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  const negated = Buffer.from((p - BigInt(`0x${bytes.toString('hex')}`)).toString(16).padStart(64, '0'), 'hex');
  if (!xIsOdd) negated[0] = (negated[0] ?? 0) | 0x80;
  return AgentPublicKey.fromRaw(negated.reverse());
}

describe('public keys with a torsion component (SPEC §5: prime-order subgroup only)', () => {
  it('agent registration refuses one with 400 invalid_request and stores nothing', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const registerUrl = `${backend.baseUrl}/v1/agent/register`;
    const key = AgentSigningKey.generate();
    const body = { ...(registrationBody(key) as object), agent_public_key: withTorsion(key.publicKey).sshPublicKey };

    const response = await postWithBiscuit(backend.baseUrl, alice.accessToken, registerUrl, body);

    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      code: 'invalid_request',
      message: 'agent_public_key is not a usable ssh-ed25519 public key',
    });
    expect(await backend.admin.agents()).toEqual([]);
  });
});
