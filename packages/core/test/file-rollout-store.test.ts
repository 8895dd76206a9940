import { copyFile, mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describeRolloutStoreConformance } from '@agent-identity/core/testing/conformance';
import {
  decodeRolloutLines,
  decodeRolloutLinesStrict,
  encodeSessionStateLine,
  type SessionAgentTask,
} from '@agent-identity/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { FileRolloutStore } from '../src/file-rollout-store.js';
import { CapturingLogger } from '../src/testing/capturing-logger.js';
import { runFixtureUnderFileSizeLimit } from './child-process.js';
import { makeTempFolder, useTempFolder } from './temp-folder.js';

describeRolloutStoreConformance('FileRolloutStore', async () => {
  const folder = await makeTempFolder();
  const store = new FileRolloutStore({ home: folder.path });
  return {
    store,
    readLines: async (threadId) => {
      const path = await store.findRolloutPath(threadId);
      return decodeRolloutLinesStrict(await readFile(path!, 'utf8'));
    },
    cleanup: folder.remove,
  };
});

const SAMPLE = new URL('./fixtures/codex-rollout-sample.jsonl', import.meta.url);
const SAMPLE_THREAD = '0199a0f0-1111-7aaa-8bbb-123456789abc';
const SAMPLE_NAME = `rollout-2026-04-19T22-45-20-${SAMPLE_THREAD}.jsonl`;

function task(taskId: string): SessionAgentTask {
  return { agent_runtime_id: 'agent-123', task_id: taskId, registered_at: '2026-04-19T23:12:04Z' };
}

const home = useTempFolder();
let logger: CapturingLogger;
let store: FileRolloutStore;
beforeEach(() => {
  logger = new CapturingLogger();
  store = new FileRolloutStore({ home: home.path, logger });
});

/** Puts the realistic Codex rollout where Codex would have written it; returns its path. */
async function placeCodexSample(): Promise<string> {
  const folder = join(home.path, 'sessions', '2026', '04', '19');
  await mkdir(folder, { recursive: true });
  const path = join(folder, SAMPLE_NAME);
  await copyFile(SAMPLE, path);
  return path;
}

describe('FileRolloutStore: Codex layout', () => {
  it('creates sessions/YYYY/MM/DD/rollout-<local time>-<id>.jsonl starting with session_meta', async () => {
    const created = new Date(2026, 3, 19, 22, 45, 20, 100);
    const timed = new FileRolloutStore({ home: home.path, now: () => created.getTime() });
    await timed.createThread(SAMPLE_THREAD, { meta: { cwd: '/home/dev/project', originator: 'test' } });
    const path = await timed.findRolloutPath(SAMPLE_THREAD);
    expect(relative(home.path, path!)).toBe(`sessions/2026/04/19/${SAMPLE_NAME}`);
    const text = await readFile(path!, 'utf8');
    const stamp = created.toISOString();
    expect(text).toBe(
      `{"timestamp":"${stamp}","type":"session_meta","payload":{"id":"${SAMPLE_THREAD}","timestamp":"${stamp}","cwd":"/home/dev/project","originator":"test"}}\n`,
    );
  });

  it('finds a rollout Codex wrote, from a fresh store (no index yet)', async () => {
    const path = await placeCodexSample();
    expect(await store.findRolloutPath(SAMPLE_THREAD)).toBe(path);
    expect(await store.hasThread(SAMPLE_THREAD)).toBe(true);
    expect(await store.findRolloutPath('other-thread')).toBeUndefined();
  });

  it('lists threads newest first', async () => {
    const times = [new Date(2025, 11, 31, 23, 59, 59), new Date(2026, 0, 1, 0, 0, 1), new Date(2026, 0, 1, 0, 0, 0)];
    let next = 0;
    const timed = new FileRolloutStore({ home: home.path, now: () => times[next++]!.getTime() });
    for (const id of ['old', 'newest', 'middle']) await timed.createThread(id);
    const listed = await new FileRolloutStore({ home: home.path }).listThreads();
    expect(listed.map((thread) => [thread.threadId, thread.createdAt])).toEqual([
      ['newest', times[1]],
      ['middle', times[2]],
      ['old', times[0]],
    ]);
    expect(await timed.findRolloutPath('old')).toBe(listed[2]?.path);
  });

  it('a rollout deleted behind the store’s back is no longer found', async () => {
    await store.createThread('gone');
    await rm((await store.findRolloutPath('gone'))!);
    expect(await store.hasThread('gone')).toBe(false);
    await expect(store.append('gone', [])).rejects.toMatchObject({ code: 'THREAD_NOT_FOUND' });
  });

  it('a home folder that cannot be created → ROLLOUT_IO', async () => {
    await writeFile(join(home.path, 'sessions'), 'not a folder');
    const broken = new FileRolloutStore({ home: join(home.path, 'sessions', 'below-a-file') });
    await expect(broken.createThread('t')).rejects.toMatchObject({ code: 'ROLLOUT_IO' });
  });
});

describe('FileRolloutStore: newest session_state (SPEC §4.5)', () => {
  it('the realistic Codex rollout → task_456', async () => {
    await placeCodexSample();
    expect(await store.newestSessionState(SAMPLE_THREAD)).toEqual({
      found: true,
      agentTask: { agent_runtime_id: 'agent-123', task_id: 'task_456', registered_at: '2026-04-19T23:12:04Z' },
    });
    expect(logger.messages('warn')).toEqual([]);
  });

  it('the same with 5-byte chunks: lines and multi-byte characters split across chunks', async () => {
    const path = await placeCodexSample();
    const sample = await readFile(path, 'utf8');
    await writeFile(path, sample.replace('add a retry', 'add a retry ✓ 日本語 🎉').replace('task_456', 'task_456_✓🎉'));
    const tiny = new FileRolloutStore({ home: home.path, scanChunkBytes: 5 });
    expect(await tiny.newestSessionState(SAMPLE_THREAD)).toMatchObject({ agentTask: { task_id: 'task_456_✓🎉' } });
  });

  it('a last line cut mid-way → the task of the newest complete line, with a warning', async () => {
    const path = await placeCodexSample();
    const cut = encodeSessionStateLine(task('task_999'), Date.UTC(2026, 3, 20)).slice(0, 60);
    await writeFile(path, cut, { flag: 'a' });
    expect(await store.newestSessionState(SAMPLE_THREAD)).toMatchObject({ agentTask: { task_id: 'task_456' } });
    expect(logger.messages('warn')).toEqual(['skipping a torn last line in a rollout (a write was interrupted)']);
  });

  it('a complete last line without its newline still counts', async () => {
    const path = await placeCodexSample();
    await writeFile(path, encodeSessionStateLine(null, Date.UTC(2026, 3, 20)), { flag: 'a' });
    expect(await store.newestSessionState(SAMPLE_THREAD)).toEqual({ found: true, agentTask: null });
    expect(logger.messages('warn')).toEqual([]);
  });

  it('an invalid session_state line in the middle is skipped with a warning; the scan goes on', async () => {
    await store.createThread('t');
    const path = (await store.findRolloutPath('t'))!;
    await writeFile(
      path,
      [
        encodeSessionStateLine(task('task_1'), 0),
        '{"timestamp":"x","type":"session_state","payload":{"agent_task":{"task_id":5}}}',
        '{"timestamp":"x","type":"event_msg","payload":{"type":"user_message","message":"about session_state"}}',
        '',
      ].join('\n'),
      { flag: 'a' },
    );
    expect(await store.newestSessionState('t')).toEqual({ found: true, agentTask: task('task_1') });
    expect(logger.messages('warn')).toEqual(['skipping an invalid session_state line in a rollout']);
  });

  it('a state line before a line longer than 1 MiB is still found', async () => {
    await store.createThread('t');
    await store.append('t', [
      { timestamp: 'x', type: 'session_state', payload: { agent_task: task('task_1') } },
      { timestamp: 'x', type: 'response_item', payload: { type: 'message', text: 'session_state '.repeat(200_000) } },
    ]);
    expect(await store.newestSessionState('t')).toEqual({ found: true, agentTask: task('task_1') });
  });

  it('a 200 MB rollout whose newest state line is near the end: only its tail is read', async () => {
    await store.createThread('big');
    const path = (await store.findRolloutPath('big'))!;
    const fillerLine = `${JSON.stringify({
      timestamp: '2026-04-19T22:45:31.500Z',
      type: 'response_item',
      payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'x'.repeat(900) }] },
    })}\n`;
    const eightMegabytes = Buffer.from(fillerLine.repeat(Math.ceil((8 * 1024 * 1024) / fillerLine.length)));
    const handle = await open(path, 'a');
    try {
      await handle.write(`${encodeSessionStateLine(task('task_old'), 0)}\n`);
      for (let chunk = 0; chunk < 25; chunk += 1) await handle.write(eightMegabytes);
      await handle.write(`${encodeSessionStateLine(task('task_new'), 0)}\n${fillerLine.repeat(100)}`);
    } finally {
      await handle.close();
    }
    expect((await stat(path)).size).toBeGreaterThan(200 * 1024 * 1024);
    store.resetStats();
    expect(await store.newestSessionState('big')).toEqual({ found: true, agentTask: task('task_new') });
    expect(store.stats.bytesRead).toBeGreaterThan(100 * fillerLine.length);
    expect(store.stats.bytesRead).toBeLessThan(1024 * 1024);
    await rm(path);
  }, 120_000);
});

describe('FileRolloutStore: append', () => {
  it('after a torn tail, the appended line starts on a new line and parses', async () => {
    const path = await placeCodexSample();
    await writeFile(path, '{"timestamp":"2026-04-19T23:13:00.000Z","type":"response_item","payload":{"ty', {
      flag: 'a',
    });
    await store.append(SAMPLE_THREAD, [
      { timestamp: 'x', type: 'session_state', payload: { agent_task: task('task_777') } },
    ]);
    const { lines, errors } = decodeRolloutLines(await readFile(path, 'utf8'));
    expect(errors.map((error) => error.lineNumber)).toEqual([17]);
    expect(lines.at(-1)).toEqual({ timestamp: 'x', type: 'session_state', payload: { agent_task: task('task_777') } });
    expect(await store.newestSessionState(SAMPLE_THREAD)).toEqual({ found: true, agentTask: task('task_777') });
    expect(logger.messages('warn')).toContain('rollout ended with a torn line; appending on a new line');
  });

  it('writes exactly the encoded lines, each ending in \\n', async () => {
    await store.createThread('t');
    const path = (await store.findRolloutPath('t'))!;
    const before = await readFile(path, 'utf8');
    await store.append('t', [{ timestamp: 'a', type: 'session_state', payload: { agent_task: null } }]);
    expect(await readFile(path, 'utf8')).toBe(
      `${before}{"timestamp":"a","type":"session_state","payload":{"agent_task":null}}\n`,
    );
  });
});

describe('FileRolloutStore: fork', () => {
  it('a fork of the Codex rollout keeps every line but the three session_state ones, byte for byte', async () => {
    const parentPath = await placeCodexSample();
    await store.createThread('fork-1', { forkedFrom: SAMPLE_THREAD });
    const forkText = await readFile((await store.findRolloutPath('fork-1'))!, 'utf8');
    const [meta, ...copied] = forkText.trimEnd().split('\n');
    expect(JSON.parse(meta!)).toMatchObject({ payload: { id: 'fork-1', forked_from_id: SAMPLE_THREAD } });
    const parentLines = (await readFile(parentPath, 'utf8')).trimEnd().split('\n');
    expect(copied).toEqual(parentLines.filter((line) => !line.includes('"type":"session_state"')));
    expect(copied).toHaveLength(parentLines.length - 3);
    expect(await store.newestSessionState('fork-1')).toEqual({ found: false });
  });

  it('a torn last line of the parent is not copied', async () => {
    const parentPath = await placeCodexSample();
    await writeFile(parentPath, '{"timestamp":"2026-04-19T23:13:00.000Z","ty', { flag: 'a' });
    await store.createThread('fork-1', { forkedFrom: SAMPLE_THREAD });
    const { errors } = decodeRolloutLines(await readFile((await store.findRolloutPath('fork-1'))!, 'utf8'));
    expect(errors).toEqual([]);
  });
});

describe('FileRolloutStore: a write that fails midway (ENOSPC, EFBIG) leaves nothing behind', () => {
  const LIMIT_KIB = 64;

  it('a failed thread creation removes its file: the thread does not exist (issue 11 item 8)', async () => {
    await store.createThread('parent');
    await store.append('parent', [
      { timestamp: 'x', type: 'response_item', payload: { type: 'message', text: 'p'.repeat(2 * LIMIT_KIB * 1024) } },
    ]);

    const printed = await runFixtureUnderFileSizeLimit(
      'rollout-write-past-file-size-limit.ts',
      ['create', home.path, 'fork', 'parent'],
      LIMIT_KIB,
    );

    expect(printed).toBe('ROLLOUT_IO');
    const fresh = new FileRolloutStore({ home: home.path });
    expect(await fresh.findRolloutPath('fork')).toBeUndefined();
    expect((await fresh.listThreads()).map((thread) => thread.threadId)).toEqual(['parent']);
    await fresh.createThread('fork', { forkedFrom: 'parent' }); // the id is free again
  });

  it('a failed append is truncated back: the next append starts where the last good line ended (issue 11 item 9)', async () => {
    await store.createThread('t');
    await store.append('t', [{ timestamp: 'x', type: 'session_state', payload: { agent_task: task('task_1') } }]);
    const path = (await store.findRolloutPath('t'))!;
    const before = await readFile(path, 'utf8');

    const printed = await runFixtureUnderFileSizeLimit(
      'rollout-write-past-file-size-limit.ts',
      ['append', home.path, 't', String(2 * LIMIT_KIB * 1024)],
      LIMIT_KIB,
    );

    expect(printed).toBe('ROLLOUT_IO');
    expect(await readFile(path, 'utf8')).toBe(before);
    await store.append('t', [{ timestamp: 'y', type: 'session_state', payload: { agent_task: task('task_2') } }]);
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((line) => (JSON.parse(line) as { type: string }).type)).toEqual([
      'session_meta',
      'session_state',
      'session_state',
    ]);
    expect(logger.messages('warn')).toEqual([]);
  });
});
