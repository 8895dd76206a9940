import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { agentTaskOfWire, AuthFileLoginSource, FileIdentityStore, FileRolloutStore } from '@agent-identity/core';
import { parseAuthFile, type AgentIdentityRecord } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { identityRecord, OTHER_SOFTWARES_KEYS } from './support/codex-auth-file.js';
import { FileRuntimeBed } from './support/file-runtime-bed.js';
import { ChildRelay, type KillableChild } from './support/killable-child.js';
import { KILL_ITERATIONS, KILL_TEST_TIMEOUT_MS } from './support/loop-counts.js';
import { newestStateOfFile } from './support/rollout-census.js';

// Real processes killed with SIGKILL mid-write, over and over, on the same files. The two loops run
// side by side: each mostly waits for its children, which load and write on the other core.

/** Runs `check(label, child)` after each of `KILL_ITERATIONS` children was killed at a random moment of its work. */
async function killRepeatedly(
  relay: ChildRelay,
  check: (label: string, child: KillableChild) => Promise<void>,
): Promise<void> {
  try {
    for (let iteration = 1; iteration <= KILL_ITERATIONS; iteration += 1) {
      const child: KillableChild = await relay.take();
      child.go();
      await child.printed('ready');
      await sleep(Math.random() * 25);
      await child.kill();
      await check(`kill ${iteration}`, child);
    }
  } finally {
    await relay.close();
  }
}

describe.concurrent('SIGKILL mid-write', () => {
  it(
    `rollout appends (SPEC §4.5 step 1), ${KILL_ITERATIONS} kills in a row: every resume restores the newest complete task and the thread works on`,
    async () => {
      await FileRuntimeBed.run({}, async (bed) => {
        const thread = await bed.runtime().startThread();
        await thread.prewarmed;
        const agentRuntimeId = thread.task?.agentRuntimeId;
        const path = await bed.rolloutPath(thread.id);
        if (agentRuntimeId === undefined) throw new Error('the thread did not prewarm a task');

        await killRepeatedly(
          new ChildRelay('append-rollout.ts', [bed.home, thread.id, agentRuntimeId]),
          async (label) => {
            const newest = await newestStateOfFile(path);
            // a new process: its own store, nothing cached
            const resumer = bed.runtime({ rolloutStore: new FileRolloutStore({ home: bed.home }) });
            const resumed = await resumer.resumeThread(thread.id);
            expect(resumed.task, label).toEqual(agentTaskOfWire(newest) ?? undefined);
            const turn = await resumed.beginTurn();
            expect(turn.ok && turn.auth.scheme, label).toBe('assertion');
            await resumer.close();
          },
        );
        expect(bed.events).toEqual([]);
      });
    },
    KILL_TEST_TIMEOUT_MS,
  );

  it(
    `thread starts under load (SPEC §4.3), ${KILL_ITERATIONS} kills in a row: every thread reported persisted has its rollout, headed by its session_meta, with its task as the newest state`,
    async () => {
      await FileRuntimeBed.run({}, async (bed) => {
        const agentRuntimeId = 'agent-kill-threads';
        let reported = 0;
        await killRepeatedly(new ChildRelay('start-threads.ts', [bed.home, agentRuntimeId]), async (label, child) => {
          const persisted = child.lines.filter((line) => line.startsWith('persisted '));
          expect(persisted.length, label).toBeGreaterThan(0);
          // a new process: its own store, nothing cached
          const store = new FileRolloutStore({ home: bed.home });
          for (const line of persisted) {
            const [, threadId = '', taskId] = line.split(' ');
            const path = await store.findRolloutPath(threadId);
            expect(path, `${label}: ${threadId}`).toBeDefined();
            const text = await readFile(path ?? '', 'utf8');
            expect(JSON.parse(text.slice(0, text.indexOf('\n'))), label).toMatchObject({ type: 'session_meta' });
            expect((await newestStateOfFile(path ?? ''))?.task_id, label).toBe(taskId);
            const newest = await store.newestSessionState(threadId);
            expect(newest.found && newest.agentTask?.task_id, label).toBe(taskId);
          }
          reported += persisted.length;
        });
        expect(reported).toBeGreaterThanOrEqual(KILL_ITERATIONS);
      });
    },
    KILL_TEST_TIMEOUT_MS,
  );

  it(
    `auth file rewrites (SPEC §2.2), ${KILL_ITERATIONS} kills in a row: the file always parses, keeps the other keys, holds a whole record, and the next process uses it`,
    async () => {
      await FileRuntimeBed.run({}, async (bed) => {
        const authPath = join(bed.home, 'auth.json');
        await writeFile(authPath, `${JSON.stringify(OTHER_SOFTWARES_KEYS, null, 2)}\n`, { mode: 0o600 });
        const records = [
          identityRecord('agent-kill-1'),
          identityRecord('agent-kill-2'),
          identityRecord('agent-kill-3'),
        ];
        const recordsPath = join(bed.home, 'records.json');
        await writeFile(recordsPath, JSON.stringify(records), { mode: 0o600 });
        const written: AgentIdentityRecord[] = [...records];

        await killRepeatedly(new ChildRelay('rewrite-auth-file.ts', [authPath, recordsPath]), async (label) => {
          const { agent_identity: slot, ...others } = parseAuthFile(await readFile(authPath, 'utf8'));
          expect(others, label).toEqual(OTHER_SOFTWARES_KEYS);
          if (slot != null) expect(written, label).toContainEqual(slot);
          expect((await stat(authPath)).mode & 0o777, label).toBe(0o600);

          // the next process: login and identity from the auth file; a lock left by the dead writer
          // must be broken, not waited out (fail fast if it is not)
          const next = bed.runtime({
            authSource: new AuthFileLoginSource({ path: authPath }),
            identityStore: new FileIdentityStore({ path: authPath, lock: { timeoutMs: 10_000 } }),
            rolloutStore: new FileRolloutStore({ home: bed.home }),
          });
          const identity = await next.ensureIdentity();
          // a whole record is used as it is; an emptied slot gets a new identity from the backend
          const slotRuntimeId = typeof slot === 'object' ? slot?.agent_runtime_id : undefined;
          expect(identity?.agentRuntimeId, label).toBe(
            slotRuntimeId ?? (await bed.backend.admin.agents()).at(-1)?.agentRuntimeId,
          );
          const stored = await new FileIdentityStore({ path: authPath }).load();
          if (stored !== undefined) written.push(stored);
          await next.close();
        });
        expect(bed.events).toEqual([]);

        const names = await readdir(bed.home);
        // no lock outlives its holder: each dead writer's lock was broken and the last one released
        expect(names).not.toContain('auth.json.lock');
        // a writer killed mid-write leaves its temp file behind (nothing removes it yet): it holds the
        // whole document, tokens and key, so it must be as closed as the auth file itself
        for (const name of names.filter((each) => each.startsWith('.auth.json.') && each.endsWith('.tmp'))) {
          expect((await stat(join(bed.home, name))).mode & 0o777, name).toBe(0o600);
        }
      });
    },
    KILL_TEST_TIMEOUT_MS,
  );
});
