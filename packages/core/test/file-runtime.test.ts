import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentSigningKey } from '@agent-identity/crypto';
import { decodeRolloutLines, isSessionStateLine, serializeAuthFile } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/stores/atomic-file.js';
import { AuthFileLoginSource } from '../src/stores/auth-file-login-source.js';
import { BackendClient } from '../src/backend/backend-client.js';
import { BackendClock } from '../src/backend/backend-clock.js';
import { runtimeBillOfMaterials } from '../src/identity/bill-of-materials.js';
import { FileIdentityStore } from '../src/stores/file-identity-store.js';
import { FileRolloutStore } from '../src/stores/file-rollout-store.js';
import { protocolProfile } from '../src/backend/protocol-profile.js';
import { resolveRetryPolicy } from '../src/backend/retry-policy.js';
import { globalTimers } from '../src/runtime/timers.js';
import { agentTaskOfWire } from '../src/thread/agent-task.js';
import { exitedCleanly, spawnFixture } from './child-process.js';
import goldenVectors from './fixtures/golden-vectors.json' with { type: 'json' };
import { codexAuthFile } from './support/codex-auth-file.js';
import { closeHarnesses, Harness } from './support/harness.js';
import { ALICE, loginOf } from './support/users.js';
import { useTempFolder } from './temp-folder.js';

// registered first so that it runs last: harnesses close before their folder goes away
const home = useTempFolder();
afterEach(closeHarnesses);

const authPath = () => join(home.path, 'auth.json');

/** A harness whose runtime uses the file stores and the auth-file login of `home`. */
async function fileHarness(): Promise<Harness & { rolloutStore: FileRolloutStore }> {
  const rolloutStore = new FileRolloutStore({ home: home.path });
  const harness = await Harness.start({
    authSource: new AuthFileLoginSource({ path: authPath(), pollIntervalMs: 50 }),
    identityStore: new FileIdentityStore({ path: authPath() }),
    rolloutStore,
  });
  return Object.assign(harness, { rolloutStore });
}

async function rolloutText(store: FileRolloutStore, threadId: string): Promise<string> {
  const path = await store.findRolloutPath(threadId);
  if (path === undefined) throw new Error(`no rollout for ${threadId}`);
  return readFile(path, 'utf8');
}

describe('several processes on one auth file (SPEC §4.1, beyond Codex)', () => {
  it('8 processes starting together register exactly one identity; the file parses and keeps its other keys', async () => {
    const harness = await Harness.start();
    const original = codexAuthFile(ALICE);
    await writeFile(authPath(), serializeAuthFile(original), { mode: 0o600 });
    const barrier = join(home.path, 'barrier');
    await mkdir(barrier);

    const children = Array.from({ length: 8 }, (_, index) =>
      spawnFixture('runtime-child.ts', [home.path, harness.backend.baseUrl, barrier, String(index)]),
    );
    const outputs = children.map((child) => {
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      return () => stdout;
    });
    const exits = Promise.all(children.map((child) => exitedCleanly(child)));
    const ready = async () =>
      (
        await Promise.all(
          children.map((_, i) =>
            stat(join(barrier, `ready-${i}`)).then(
              () => true,
              () => false,
            ),
          ),
        )
      ).every(Boolean);
    while (!(await ready())) await new Promise((resolve) => setTimeout(resolve, 10));
    await writeFile(join(barrier, 'go'), '');
    await exits;

    const results = outputs.map(
      (output) => JSON.parse(output()) as { agentRuntimeId: string; task: { taskId: string } },
    );
    expect(harness.counters()).toMatchObject({ agentRegistrations: 1, taskRegistrations: 8 });
    const [agent] = await harness.backend.admin.agents();
    expect(new Set(results.map((result) => result.agentRuntimeId))).toEqual(new Set([agent?.agentRuntimeId]));
    expect(new Set(results.map((result) => result.task.taskId)).size).toBe(8);

    const file = JSON.parse(await readFile(authPath(), 'utf8')) as Record<string, unknown>;
    const { agent_identity: record, ...others } = file;
    expect(others).toEqual(original);
    expect(Object.keys(file)).toEqual([...Object.keys(original), 'agent_identity']);
    expect(record).toMatchObject({
      workspace_id: ALICE.accountId,
      chatgpt_user_id: ALICE.userId,
      agent_runtime_id: agent?.agentRuntimeId,
    });
    expect((await stat(authPath())).mode & 0o777).toBe(0o600);
  }, 60_000);
});

describe('crash safety (SPEC §4.5)', () => {
  it('a rollout whose last line was cut mid-way resumes with the task of the newest complete line', async () => {
    await writeFile(authPath(), serializeAuthFile(codexAuthFile(ALICE)), { mode: 0o600 });
    const before = await fileHarness();
    const thread = await before.runtime().startThread();
    await thread.prewarmed;
    const first = thread.task;
    if (first === undefined) throw new Error('no task');
    await thread.invalidateTask(first);
    const turn = await thread.beginTurn();
    const newest = turn.ok ? turn.auth.task : undefined;
    expect(newest).toBeDefined();
    const path = await before.rolloutStore.findRolloutPath(thread.id);
    if (path === undefined) throw new Error('no rollout');
    // the crash: a later task line, cut before its end
    await appendFile(
      path,
      `{"timestamp":"2026-04-19T23:59:59.000Z","type":"session_state","payload":{"agent_task":{"agent_runtime_id":"${first.agentRuntimeId}","task_id":"task_torn`,
    );

    const after = await fileHarness();
    const resumed = await after.runtime().resumeThread(thread.id);
    expect(resumed.task).toEqual(newest);
    await resumed.prewarmed;
    const tasksBefore = after.counters().taskRegistrations;
    const resumedTurn = await resumed.beginTurn();
    expect(resumedTurn.ok && resumedTurn.auth.task).toEqual(newest);
    expect(after.counters().taskRegistrations).toBe(tasksBefore);

    // writing after the torn line starts a new line: every complete line still reads
    if (newest !== undefined) await resumed.invalidateTask(newest);
    const { lines, errors } = decodeRolloutLines(await rolloutText(after.rolloutStore, thread.id));
    expect(errors.map((error) => error.reason)).toEqual(['not_json']);
    expect(lines.filter(isSessionStateLine).map((line) => agentTaskOfWire(line.payload.agent_task))).toEqual([
      first,
      null,
      newest,
      null,
    ]);
  });

  it('an auth file with a Rust-written PKCS#8 v2 key loads and is used without registering again', async () => {
    const harness = await Harness.start();
    const golden = AgentSigningKey.fromPkcs8Base64(goldenVectors.pkcs8_v2_base64);
    // the identity Rust Codex registered earlier, with the golden key
    const agentRuntimeId = await new BackendClient({
      baseUrl: harness.backend.baseUrl,
      authApiUrl: harness.backend.baseUrl,
      profile: protocolProfile('codex-0.122'),
      fetch: (input, init) => fetch(input, init),
      clock: new BackendClock({ now: Date.now, enabled: true, logger: harness.logger }),
      randomBytes,
      timers: globalTimers,
      timeoutMs: 15_000,
      retry: resolveRetryPolicy({}),
      logger: harness.logger,
      signal: new AbortController().signal,
    }).registerAgent(loginOf(ALICE), golden, runtimeBillOfMaterials());
    const rustRecord = {
      workspace_id: ALICE.accountId,
      chatgpt_user_id: ALICE.userId,
      agent_runtime_id: agentRuntimeId,
      agent_private_key: goldenVectors.pkcs8_v2_base64,
      registered_at: '2026-04-19T22:45:28Z',
    };
    const rustWritten = serializeAuthFile(codexAuthFile(ALICE, rustRecord));
    await writeFile(authPath(), rustWritten, { mode: 0o600 });

    const files = await fileHarness();
    const runtime = files.runtime({ baseUrl: harness.backend.baseUrl });
    const identity = await runtime.ensureIdentity();
    expect(identity?.agentRuntimeId).toBe(agentRuntimeId);
    expect(identity?.sshPublicKey).toBe(goldenVectors.ssh_public_key);
    const thread = await runtime.startThread();
    const turn = await thread.beginTurn();
    if (!turn.ok) throw new Error(turn.event.message);
    expect(turn.auth.task?.agentRuntimeId).toBe(agentRuntimeId);
    expect(await harness.backend.admin.verify(turn.auth.authorizationHeader() ?? '')).toMatchObject({ ok: true });
    expect(harness.counters().agentRegistrations).toBe(1);
    // the record is upgraded to the union every Codex reads (CODEX-CURRENT); its values are Rust's
    const { agent_identity: upgraded, ...others } = JSON.parse(await readFile(authPath(), 'utf8')) as Record<
      string,
      unknown
    >;
    const { agent_identity: _written, ...rustOthers } = JSON.parse(rustWritten) as Record<string, unknown>;
    expect(others).toEqual(rustOthers);
    expect(upgraded).toMatchObject({ ...rustRecord, account_id: ALICE.accountId });
  });
});

describe('a login after start-up (SPEC §4.5 step 2)', () => {
  it('a user who logs in through the auth file gets an identity without a restart', async () => {
    await writeFile(authPath(), serializeAuthFile({ OPENAI_API_KEY: 'sk-api-key-never-logged' }), { mode: 0o600 });
    const harness = await fileHarness();
    const thread = await harness.runtime().startThread();
    const before = await thread.beginTurn();
    expect(before.ok && before.auth.headers()).toEqual({ authorization: 'Bearer sk-api-key-never-logged' });

    // `codex login` rewrites the file by rename
    await writeFileAtomic(authPath(), serializeAuthFile(codexAuthFile(ALICE)));
    await thread.prewarmed;
    expect(harness.counters()).toMatchObject({ agentRegistrations: 1, taskRegistrations: 1 });
    expect(thread.task).toBeDefined();
    const file = JSON.parse(await readFile(authPath(), 'utf8')) as { agent_identity?: { agent_runtime_id: string } };
    expect(file.agent_identity?.agent_runtime_id).toBe(thread.task?.agentRuntimeId);
    expect(harness.logger.text()).not.toContain('sk-api-key-never-logged');
  });
});
