import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { FileLock } from '../src/stores/file-lock.js';
import { exitedCleanly, printed, spawnFixture } from './child-process.js';
import { CapturingLogger } from '../src/testing/capturing-logger.js';
import { useTempFolder } from './temp-folder.js';

const folder = useTempFolder();
let lockPath: string;
beforeEach(() => {
  lockPath = join(folder.path, 'auth.json.lock');
});

describe('FileLock', () => {
  it('two lock objects on one path never hold it together', async () => {
    const locks = [new FileLock(lockPath), new FileLock(lockPath)];
    let inside = 0;
    let mostInside = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        locks[i % 2]!.withLock(async () => {
          inside += 1;
          mostInside = Math.max(mostInside, inside);
          await sleep(2);
          inside -= 1;
        }),
      ),
    );
    expect(mostInside).toBe(1);
  });

  it('leaves no lock, temp or stale file behind', async () => {
    await new FileLock(lockPath).withLock(() => Promise.resolve());
    await expect(new FileLock(lockPath).withLock(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await readdir(folder.path)).toEqual([]);
  });

  it('the lock file names its holder', async () => {
    const content = await new FileLock(lockPath).withLock(() => readFile(lockPath, 'utf8'));
    expect(JSON.parse(content)).toMatchObject({ pid: process.pid, token: expect.any(String) as string });
  });

  it('a lock not refreshed for staleMs is broken (holder on another host), with a warning', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: 4242, hostname: 'another-host', token: 'old' }));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(lockPath, anHourAgo, anHourAgo);
    const logger = new CapturingLogger();
    const lock = new FileLock(lockPath, { staleMs: 10_000, timeoutMs: 5_000, logger });
    expect(await lock.withLock(() => Promise.resolve('acquired'))).toBe('acquired');
    expect(logger.messages('warn')).toEqual(['broke a stale lock']);
    expect(await readdir(folder.path)).toEqual([]);
  });

  it('a fresh lock of a live holder is waited for, then LOCK_TIMEOUT; the lock is left alone', async () => {
    const content = JSON.stringify({ pid: 4242, hostname: 'another-host', token: 'live' });
    await writeFile(lockPath, content);
    const lock = new FileLock(lockPath, { staleMs: 60_000, timeoutMs: 200 });
    const attempt = lock.withLock(() => Promise.resolve());
    await expect(attempt).rejects.toMatchObject({
      code: 'LOCK_TIMEOUT',
      message: expect.stringContaining('held by pid 4242 on another-host') as string,
    });
    expect(await readFile(lockPath, 'utf8')).toBe(content);
  });

  it('the holder’s heartbeat keeps a long section from being judged stale', async () => {
    const holder = new FileLock(lockPath, { staleMs: 600 });
    const waiter = new FileLock(lockPath, { staleMs: 600, timeoutMs: 1_500 });
    let released = false;
    const holding = holder.withLock(async () => {
      await sleep(2_500);
      released = true;
    });
    await sleep(50);
    await expect(waiter.withLock(() => Promise.resolve(released))).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    await holding;
  });

  it('a holder SIGKILLed while holding the lock: the next process takes it (dead pid), no staleMs wait', async () => {
    const authPath = join(folder.path, 'auth.json');
    const child = spawnFixture('hold-identity-lock.ts', [authPath]);
    const exit = exitedCleanly(child).catch(() => undefined);
    await printed(child, 'locked');
    child.kill('SIGKILL');
    await exit;
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: child.pid });

    // staleMs of ten minutes: only the dead-pid rule can let this acquire before the timeout.
    const lock = new FileLock(lockPath, { staleMs: 600_000, timeoutMs: 15_000 });
    expect(await lock.withLock(() => Promise.resolve('acquired'))).toBe('acquired');
  });

  it('a live holder process keeps the lock: LOCK_TIMEOUT', async () => {
    const authPath = join(folder.path, 'auth.json');
    const child = spawnFixture('hold-identity-lock.ts', [authPath]);
    const exit = exitedCleanly(child).catch(() => undefined);
    try {
      await printed(child, 'locked');
      const lock = new FileLock(lockPath, { timeoutMs: 300 });
      await expect(lock.withLock(() => Promise.resolve())).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    } finally {
      child.kill('SIGKILL');
      await exit;
    }
  });
});
