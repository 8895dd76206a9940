import { lstat, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/stores/atomic-file.js';
import { fileSignature } from '../src/stores/stat-cached-file.js';
import { useTempFolder } from './temp-folder.js';

const folder = useTempFolder();

describe('writeFileAtomic', () => {
  it('creates the file 0600 and missing folders 0700', async () => {
    const path = join(folder.path, 'home', '.codex', 'auth.json');
    await writeFileAtomic(path, '{}');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(folder.path, 'home', '.codex'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(folder.path, 'home'))).mode & 0o777).toBe(0o700);
    expect(await readFile(path, 'utf8')).toBe('{}');
  });

  it('replaces a 0644 file with a 0600 one and leaves no temp file behind', async () => {
    const path = join(folder.path, 'auth.json');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(folder.path)).toEqual(['auth.json']);
  });

  it("removeAbandonedTemps: a dead writer's temp files of this path go, others stay", async () => {
    const path = join(folder.path, 'auth.json');
    await writeFile(join(folder.path, '.auth.json.0123456789ab.tmp'), 'tokens of a writer killed mid-write');
    await writeFile(join(folder.path, '.other.json.0123456789ab.tmp'), 'not ours');
    await writeFile(join(folder.path, '.auth.json.notours.tmp'), 'not our pattern');
    await writeFileAtomic(path, 'new', { removeAbandonedTemps: true });
    expect((await readdir(folder.path)).sort()).toEqual([
      '.auth.json.notours.tmp',
      '.other.json.0123456789ab.tmp',
      'auth.json',
    ]);
  });

  it('a reader racing 200 writes always sees one whole version', async () => {
    const path = join(folder.path, 'auth.json');
    const version = (n: number): string => JSON.stringify({ n, padding: 'x'.repeat(20_000 + n) });
    await writeFileAtomic(path, version(0));
    const race = { writing: true };
    let reads = 0;
    const reader = (async () => {
      while (race.writing) {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as { n: number; padding: string };
        expect(parsed.padding).toHaveLength(20_000 + parsed.n);
        reads += 1;
      }
    })();
    for (let n = 1; n <= 200; n += 1) await writeFileAtomic(path, version(n));
    race.writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ n: 200 });
  });

  it('unlessChangedFrom: a file changed since it was read is left alone and false returned', async () => {
    const path = join(folder.path, 'auth.json');
    await writeFileAtomic(path, 'read version');
    const readVersion = await fileSignature(path);
    await writeFileAtomic(path, 'changed by another writer');
    expect(await writeFileAtomic(path, 'mine', { unlessChangedFrom: readVersion })).toBe(false);
    expect(await readFile(path, 'utf8')).toBe('changed by another writer');
    expect(await readdir(folder.path)).toEqual(['auth.json']);
    expect(await writeFileAtomic(path, 'mine', { unlessChangedFrom: await fileSignature(path) })).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('mine');
  });

  it('unlessChangedFrom "missing": writes only if the file still does not exist', async () => {
    const path = join(folder.path, 'auth.json');
    const absent = await fileSignature(path);
    await writeFile(path, 'created meanwhile');
    expect(await writeFileAtomic(path, 'mine', { unlessChangedFrom: absent })).toBe(false);
    expect(await readFile(path, 'utf8')).toBe('created meanwhile');
  });

  it('writes through a symlink to its target and keeps the link', async () => {
    const target = join(folder.path, 'dotfiles-auth.json');
    const link = join(folder.path, 'auth.json');
    await writeFile(target, 'old');
    await symlink(target, link);
    await writeFileAtomic(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(target);
    expect(await readFile(target, 'utf8')).toBe('new');
  });
});
