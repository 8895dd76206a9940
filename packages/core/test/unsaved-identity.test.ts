import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileIdentityStore } from '../src/stores/file-identity-store.js';
import type { TurnStart } from '../src/thread/thread.js';
import { codexAuthFile } from './support/codex-auth-file.js';
import { closeHarnesses, Harness } from './support/harness.js';
import { ALICE } from './support/users.js';
import { useTempFolder } from './temp-folder.js';

// registered first so that it runs last: harnesses close before their folder goes away
const home = useTempFolder();
afterEach(closeHarnesses);

const ORPHAN_WARNING =
  'agent identity: the registered identity could not be saved; using it in this process only (an orphan agent at the backend once the process ends)';

function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function turnTask(turn: TurnStart) {
  if (!turn.ok) throw new Error(turn.event.message);
  return turn.auth.task;
}

describe('a save that fails after the identity registered (issue 11 item 13)', () => {
  it('the registered identity is logged as an orphan and reused by the process: one agent for every thread and turn', async () => {
    // an auth file in the JWT form: the store refuses to replace the user's credential, so every save fails
    const path = join(home.path, 'auth.json');
    const jwt = [segment({ alg: 'RS256' }), segment({ agent_runtime_id: 'agent-jwt' }), 'c2ln'].join('.');
    await writeFile(
      path,
      JSON.stringify({ ...codexAuthFile(ALICE), auth_mode: 'agentIdentity', agent_identity: jwt }, null, 2),
    );
    const before = await readFile(path, 'utf8');
    const harness = await Harness.start({ identityStore: new FileIdentityStore({ path }) });
    const runtime = harness.runtime();

    const first = await runtime.startThread({ ephemeral: true });
    const task = turnTask(await first.beginTurn());
    const second = await runtime.startThread({ ephemeral: true });
    const again = turnTask(await second.beginTurn());

    expect(harness.counters().agentRegistrations).toBe(1);
    expect(task?.agentRuntimeId).toBeDefined();
    expect(again?.agentRuntimeId).toBe(task?.agentRuntimeId);
    const orphan = harness.logger.at('warn').filter((line) => line.message === ORPHAN_WARNING);
    expect(orphan).toHaveLength(1);
    expect(orphan[0]?.fields).toMatchObject({ agentRuntimeId: task?.agentRuntimeId });
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(harness.events).toEqual([]);
  });
});
