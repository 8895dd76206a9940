import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentSigningKey, encodePkcs8V2 } from '@agent-identity/crypto';
import {
  DEFAULT_PLAN_TYPE,
  encodeBase64,
  formatSecondsTimestamp,
  toUnionAgentIdentityRecord,
  type Codex0122AgentIdentityRecord,
} from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FileIdentityStore } from '../src/stores/file-identity-store.js';
import { MemoryIdentityStore } from '../src/stores/memory-identity-store.js';
import { closeHarnesses, Harness } from './support/harness.js';
import { ALICE, BOB, CAROL, loginOf } from './support/users.js';
import { makeTempFolder } from './temp-folder.js';

afterEach(closeHarnesses);

const NOW_MS = Date.UTC(2026, 3, 19, 22, 45, 28, 731);

/** A record as another registration would have left it (its runtime id unknown to the backend). */
function recordFor(
  user: { accountId: string; userId: string },
  overrides: Partial<Codex0122AgentIdentityRecord> = {},
): Codex0122AgentIdentityRecord {
  return {
    workspace_id: user.accountId,
    chatgpt_user_id: user.userId,
    agent_runtime_id: 'agent-from-before',
    agent_private_key: AgentSigningKey.generate().toPkcs8Base64(),
    registered_at: '2026-04-01T10:00:00Z',
    ...overrides,
  };
}

describe('gate (SPEC §1, §4.1 step 1–2)', () => {
  it('flag off: nothing, zero HTTP calls', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime({ useAgentIdentity: false });
    expect(await runtime.ensureIdentity()).toBeUndefined();
    expect(await runtime.currentIdentity()).toBeUndefined();
    expect(harness.recording.calls).toEqual([]);
    expect(harness.counters()).toMatchObject({ biscuitsMinted: 0, agentRegistrations: 0 });
  });

  it('API-key auth: nothing, zero HTTP calls', async () => {
    const harness = await Harness.start({ login: { mode: 'api_key', apiKey: 'sk-test-key-do-not-log' } });
    const runtime = harness.runtime();
    expect(await runtime.ensureIdentity()).toBeUndefined();
    expect(harness.recording.calls).toEqual([]);
    expect(harness.counters()).toMatchObject({ biscuitsMinted: 0, agentRegistrations: 0 });
  });

  it('nobody logged in, or a ChatGPT login without an account: nothing', async () => {
    const harness = await Harness.start({ login: null });
    expect(await harness.runtime().ensureIdentity()).toBeUndefined();
    const noAccount = await Harness.start({
      login: { mode: 'chatgpt', accessToken: ALICE.accessToken, accountId: '' },
    });
    expect(await noAccount.runtime().ensureIdentity()).toBeUndefined();
    expect([...harness.recording.calls, ...noAccount.recording.calls]).toEqual([]);
  });
});

describe('ensureIdentity (SPEC §4.1)', () => {
  it('registers once and reuses: one biscuit and one registration across two ensures', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime({ now: () => NOW_MS });
    const first = await runtime.ensureIdentity();
    const second = await runtime.ensureIdentity();
    expect(second).toBe(first);
    expect(harness.counters()).toMatchObject({ biscuitsMinted: 1, agentRegistrations: 1 });
    const [agent] = await harness.backend.admin.agents();
    expect(first?.agentRuntimeId).toBe(agent?.agentRuntimeId);
    expect(first?.sshPublicKey).toBe(agent?.publicKey);
  });

  it('persists the union record (SPEC §2.2 + CODEX-CURRENT): both field sets, registered_at = now', async () => {
    const harness = await Harness.start();
    const identity = await harness.runtime({ now: () => NOW_MS }).ensureIdentity();
    const record = await harness.identityStore.load();
    expect(record).toEqual({
      workspace_id: ALICE.accountId,
      chatgpt_user_id: ALICE.userId,
      agent_runtime_id: identity?.agentRuntimeId,
      agent_private_key: expect.stringMatching(/^MFECAQEwBQYDK2VwBCIEI/) as unknown,
      registered_at: formatSecondsTimestamp(NOW_MS),
      account_id: ALICE.accountId,
      email: '',
      plan_type: DEFAULT_PLAN_TYPE,
      chatgpt_account_is_fedramp: false,
    });
    expect(AgentSigningKey.fromPkcs8Base64(record?.agent_private_key ?? '').sshPublicKey).toBe(identity?.sshPublicKey);
  });

  it("the union record takes email and plan_type from the login's ID token claims", async () => {
    const harness = await Harness.start({
      login: {
        mode: 'chatgpt',
        accessToken: ALICE.accessToken,
        accountId: ALICE.accountId,
        userId: ALICE.userId,
        email: 'alice@example.com',
        planType: 'pro',
      },
    });
    await harness.runtime().ensureIdentity();
    expect(await harness.identityStore.load()).toMatchObject({
      email: 'alice@example.com',
      plan_type: 'pro',
      chatgpt_account_is_fedramp: false,
    });
  });

  it('a second runtime on the same store (a later process) reuses the identity', async () => {
    const harness = await Harness.start();
    const first = await harness.runtime().ensureIdentity();
    const second = await harness.runtime().ensureIdentity();
    expect(second?.agentRuntimeId).toBe(first?.agentRuntimeId);
    expect(harness.counters().agentRegistrations).toBe(1);
  });

  it('parses the key once: loads of an unchanged record give the same StoredIdentity', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    const registered = await runtime.ensureIdentity();
    expect(await runtime.currentIdentity()).toBe(registered);
    expect(await runtime.currentIdentity()).toBe(registered);
  });

  it('50 concurrent ensures register one identity', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    const identities = await Promise.all(Array.from({ length: 50 }, () => runtime.ensureIdentity()));
    expect(new Set(identities).size).toBe(1);
    expect(harness.counters()).toMatchObject({ biscuitsMinted: 1, agentRegistrations: 1 });
  });

  it('a forced workspace binds the identity to that workspace', async () => {
    const harness = await Harness.start();
    const identity = await harness.runtime({ forcedWorkspaceId: 'account-forced' }).ensureIdentity();
    expect(identity?.workspaceId).toBe('account-forced');
    expect(identity?.bindingId).toBe('chatgpt-account-account-forced');
    expect((await harness.identityStore.load())?.workspace_id).toBe('account-forced');
  });

  it('a registration failure rejects with the SPEC text and stores nothing', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('agent_register', { kind: 'status', status: 403, body: 'forbidden' });
    await expect(harness.runtime().ensureIdentity()).rejects.toThrow(
      `agent identity registration failed with status 403 from ${harness.backend.baseUrl}/v1/agent/register: forbidden`,
    );
    expect(await harness.identityStore.load()).toBeUndefined();
  });
});

describe('self-healing load (SPEC §4.1)', () => {
  it('a stored key that does not parse is deleted (warn log) and a new identity registered', async () => {
    const stale = recordFor(ALICE, { agent_private_key: 'not base64!' });
    const harness = await Harness.start({ identityStore: new MemoryIdentityStore(stale) });
    const identity = await harness.runtime().ensureIdentity();
    expect(identity?.agentRuntimeId).not.toBe(stale.agent_runtime_id);
    expect(harness.counters().agentRegistrations).toBe(1);
    expect((await harness.identityStore.load())?.agent_runtime_id).toBe(identity?.agentRuntimeId);
    expect(harness.logger.at('warn').map((line) => line.message)).toEqual([
      'agent identity: deleting the stored identity because its private key is invalid (private key is not valid base64)',
    ]);
  });

  it('a key whose embedded public key does not match its seed is deleted and replaced', async () => {
    const seed = new Uint8Array(32).fill(7);
    const otherPublicKey = AgentSigningKey.generate().publicKey;
    const inconsistent = recordFor(ALICE, { agent_private_key: encodeBase64(encodePkcs8V2(seed, otherPublicKey)) });
    const harness = await Harness.start({ identityStore: new MemoryIdentityStore(inconsistent) });
    const identity = await harness.runtime().ensureIdentity();
    expect(identity?.agentRuntimeId).not.toBe(inconsistent.agent_runtime_id);
    expect(harness.logger.at('warn')).toHaveLength(1);
    expect(harness.logger.at('warn')[0]?.message).toContain('its private key is invalid');
  });

  it("another user's identity in this workspace is deleted and a new one registered", async () => {
    const bobs = recordFor(BOB);
    const harness = await Harness.start({ identityStore: new MemoryIdentityStore(bobs) });
    const identity = await harness.runtime().ensureIdentity();
    expect(identity?.chatgptUserId).toBe(ALICE.userId);
    expect(identity?.agentRuntimeId).not.toBe(bobs.agent_runtime_id);
    expect(harness.counters().agentRegistrations).toBe(1);
    expect(harness.logger.at('warn').map((line) => line.message)).toEqual([
      'agent identity: deleting the stored identity because it belongs to another user',
    ]);
  });

  it("another workspace's identity is ignored, not deleted", async () => {
    const carols = recordFor(CAROL);
    const harness = await Harness.start({ identityStore: new MemoryIdentityStore(carols) });
    const runtime = harness.runtime();
    expect(await runtime.currentIdentity()).toBeUndefined();
    expect(
      await runtime.taskMatchesCurrentIdentity({
        agentRuntimeId: carols.agent_runtime_id,
        taskId: 't',
        registeredAt: '2026-04-01T10:00:00Z',
      }),
    ).toBe(false);
    expect(await harness.identityStore.load()).toEqual(toUnionAgentIdentityRecord(carols));
    expect(harness.logger.at('warn')).toEqual([]);
  });

  it("a login without a user id accepts any user's identity of its workspace", async () => {
    const bobs = recordFor(BOB);
    const harness = await Harness.start({
      identityStore: new MemoryIdentityStore(bobs),
      login: { mode: 'chatgpt', accessToken: ALICE.accessToken, accountId: ALICE.accountId },
    });
    const identity = await harness.runtime().ensureIdentity();
    expect(identity?.agentRuntimeId).toBe(bobs.agent_runtime_id);
    expect(harness.recording.calls).toEqual([]);
  });

  it('a corrupt auth file fails ensureIdentity (AUTH_FILE_CORRUPT) and counts as "no identity" for matching', async () => {
    const folder = await makeTempFolder();
    try {
      const path = join(folder.path, 'auth.json');
      await writeFile(path, '{"tokens": ', { mode: 0o600 });
      const harness = await Harness.start({ identityStore: new FileIdentityStore({ path }) });
      const runtime = harness.runtime();
      await expect(runtime.ensureIdentity()).rejects.toMatchObject({ code: 'AUTH_FILE_CORRUPT' });
      const task = { agentRuntimeId: 'agent-1', taskId: 'task-1', registeredAt: '2026-04-01T10:00:00Z' };
      expect(await runtime.taskMatchesCurrentIdentity(task)).toBe(false);
      expect(harness.recording.calls).toEqual([]);
    } finally {
      await folder.remove();
    }
  });
});

describe('taskMatchesCurrentIdentity (SPEC §4.2)', () => {
  it('compares only the runtime id, and never registers', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    const task = { agentRuntimeId: 'agent-x', taskId: 'task-1', registeredAt: '2026-04-01T10:00:00Z' };
    expect(await runtime.taskMatchesCurrentIdentity(task)).toBe(false);
    expect(harness.recording.calls).toEqual([]);

    const identity = await runtime.ensureIdentity();
    const ours = { ...task, agentRuntimeId: identity?.agentRuntimeId ?? '' };
    expect(await runtime.taskMatchesCurrentIdentity(ours)).toBe(true);
    expect(
      await runtime.taskMatchesCurrentIdentity({ ...ours, taskId: 'any', registeredAt: '2020-01-01T00:00:00Z' }),
    ).toBe(true);
    expect(await runtime.taskMatchesCurrentIdentity(task)).toBe(false);
  });

  it('flag off → false, even for the stored identity', async () => {
    const harness = await Harness.start();
    const identity = await harness.runtime().ensureIdentity();
    const off = harness.runtime({ useAgentIdentity: false });
    const task = { agentRuntimeId: identity?.agentRuntimeId ?? '', taskId: 't', registeredAt: '2026-04-01T10:00:00Z' };
    expect(await off.taskMatchesCurrentIdentity(task)).toBe(false);
  });

  it('after a login change to another user, the old identity no longer matches', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    const identity = await runtime.ensureIdentity();
    const task = { agentRuntimeId: identity?.agentRuntimeId ?? '', taskId: 't', registeredAt: '2026-04-01T10:00:00Z' };
    harness.setLogin(loginOf(CAROL));
    expect(await runtime.taskMatchesCurrentIdentity(task)).toBe(false);
  });
});
