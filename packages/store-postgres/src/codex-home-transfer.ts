import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { FileIdentityStore, FileRolloutStore, type IdentityStore } from '@agent-identity/core';
import type { PostgresRolloutStore } from './postgres-rollout-store.js';

export interface CodexHomeTransferOptions {
  /** The Codex home (`$CODEX_HOME`): `auth.json` and `sessions/`. */
  readonly home: string;
  /** Where the identity record goes (import) or comes from (export), e.g. a `PostgresIdentityStore`. */
  readonly identityStore: IdentityStore;
  readonly rolloutStore: PostgresRolloutStore;
}

/** What an import or export moved. */
export interface CodexHomeTransfer {
  /** Whether there was an identity record to move. */
  readonly identity: boolean;
  /** The threads moved, in the order they were moved. */
  readonly threadIds: readonly string[];
}

/**
 * Moves a Codex home into the stores: the `agent_identity` record of `auth.json` (SPEC §2.2, every
 * field kept; the login tokens stay in the file, they are not ours) and every rollout under
 * `sessions/`, line by line as written (SPEC §2.1), so each thread's task is one index lookup
 * afterwards. A thread id already in the store is `THREAD_EXISTS`, and that rollout's import is
 * undone; the ones before it stay.
 */
export async function importCodexHome(options: CodexHomeTransferOptions): Promise<CodexHomeTransfer> {
  const record = await new FileIdentityStore({ path: join(options.home, 'auth.json') }).load();
  if (record !== undefined) await options.identityStore.save(record);
  const threadIds: string[] = [];
  for (const thread of await new FileRolloutStore({ home: options.home }).listThreads()) {
    const rolloutPath = relative(options.home, thread.path).split(sep).join('/');
    await options.rolloutStore.importThread({ threadId: thread.threadId, rolloutPath }, fileLines(thread.path));
    threadIds.push(thread.threadId);
  }
  return { identity: record !== undefined, threadIds };
}

/**
 * Writes the stores back out as a Codex home: the record into `auth.json`'s slot (the file's other
 * keys kept, written atomically, `0600`) and each thread's rollout at the path it came from (or
 * the one Codex would give it), one line per stored line. A rollout file that already exists is
 * refused (`EEXIST`), never overwritten.
 */
export async function exportCodexHome(options: CodexHomeTransferOptions): Promise<CodexHomeTransfer> {
  const record = await options.identityStore.load();
  if (record !== undefined) await new FileIdentityStore({ path: join(options.home, 'auth.json') }).save(record);
  const threadIds: string[] = [];
  for (const thread of await options.rolloutStore.listThreads()) {
    const path = join(options.home, ...thread.rolloutPath.split('/'));
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const file = await open(path, 'wx', 0o600);
    try {
      for await (const text of options.rolloutStore.lineTexts(thread.threadId)) await file.write(`${text}\n`);
      await file.datasync();
    } finally {
      await file.close();
    }
    threadIds.push(thread.threadId);
  }
  return { identity: record !== undefined, threadIds };
}

/** The lines of a rollout file, streamed (a rollout can be gigabytes), without their `\n`. */
async function* fileLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } finally {
    lines.close();
  }
}
