import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StatCachedFile } from '../src/stores/stat-cached-file.js';
import { useTempFolder } from './temp-folder.js';

const folder = useTempFolder();

/** Replaces the file by rename, as the auth file's writers do. */
async function replace(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

describe('StatCachedFile', () => {
  it('reads a file once for a thousand concurrent readers, and each gets its value', async () => {
    const path = join(folder.path, 'auth.json');
    await replace(path, '{"n":1}');
    const file = new StatCachedFile(path, (text) => JSON.parse(text ?? 'null') as { n: number } | null);
    const values = await Promise.all(Array.from({ length: 1000 }, () => file.read()));
    expect(values.every((value) => value?.n === 1)).toBe(true);
    // The first read, and at most one shared by the readers who came while it ran.
    expect(file.readCount).toBeLessThanOrEqual(2);
  });

  it('a read that starts after a replace sees the new version, even while other reads run', async () => {
    const path = join(folder.path, 'auth.json');
    await replace(path, '{"n":1}');
    const file = new StatCachedFile(path, (text) => JSON.parse(text ?? 'null') as { n: number } | null);
    const before = Array.from({ length: 50 }, () => file.read());
    await replace(path, '{"n":2}');
    const after = await file.read();
    expect(after?.n).toBe(2);
    await Promise.all(before);
  });

  it('answers undefined text for a missing file, then the file once it appears', async () => {
    const path = join(folder.path, 'auth.json');
    const file = new StatCachedFile(path, (text) => text);
    expect(await file.read()).toBeUndefined();
    await replace(path, 'hello');
    expect(await file.read()).toBe('hello');
  });
});
