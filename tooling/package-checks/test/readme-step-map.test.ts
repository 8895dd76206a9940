import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { missingStepMapNames, stepMapNames } from '../src/readme-step-map.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const temps: string[] = [];

afterEach(async () => {
  await Promise.all(temps.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** The workspace packages (`packages/*`, `apps/*`, `tooling/*`) that have a README and a `src/`. */
async function packagesWithReadme(): Promise<{ name: string; dir: string; dependencies: string[] }[]> {
  const found: { name: string; dir: string; dependencies: string[] }[] = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    for (const entry of await readdir(join(repoRoot, group), { withFileTypes: true })) {
      const dir = join(repoRoot, group, entry.name);
      const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
      const readme = await readFile(join(dir, 'README.md'), 'utf8').catch(() => undefined);
      const source = await readdir(join(dir, 'src')).catch(() => undefined);
      if (!entry.isDirectory() || manifest === undefined || readme === undefined || source === undefined) continue;
      const parsed = JSON.parse(manifest) as { name: string; dependencies?: Record<string, string> };
      found.push({ name: parsed.name, dir, dependencies: Object.keys(parsed.dependencies ?? {}) });
    }
  }
  return found;
}

describe("every README's step map names only what the source declares", async () => {
  const packages = await packagesWithReadme();
  const dirOf = new Map(packages.map(({ name, dir }) => [name, dir]));

  it.each(packages.map(({ name }) => name))('%s', async (name) => {
    const found = packages.find((candidate) => candidate.name === name);
    if (found === undefined) throw new Error(`no package ${name}`);
    const dependencySources = found.dependencies.flatMap((dependency) => {
      const dir = dirOf.get(dependency);
      return dir === undefined ? [] : [join(dir, 'src')];
    });
    expect(await missingStepMapNames(found.dir, dependencySources)).toEqual({ identifiers: [], files: [] });
  });

  it('the step maps of core, api-bridge and transport-ws name their steps', async () => {
    for (const name of ['core', 'api-bridge', 'transport-ws']) {
      const readme = await readFile(join(repoRoot, 'packages', name, 'README.md'), 'utf8');
      expect(stepMapNames(readme).identifiers.length).toBeGreaterThan(0);
    }
  });
});

describe('the step-map check', () => {
  const readme = [
    '# pkg',
    '',
    '## The rules, step by step',
    '',
    '1. `ensureTask()` — then `Thread.beginTurn(auth)`; see `thread.ts`.',
    '2. `HSalsa20(x, 0)` and `ephemeral_pk(32)` are notation, `"a:b"` a value.',
    '',
    '## Elsewhere',
    '',
    '`notAStep()` is outside the step map.',
  ].join('\n');
  const source = [
    'export class Thread {',
    '  async ensureTask(): Promise<void> {}',
    '  beginTurn(auth: string): string {',
    '    return auth;',
    '  }',
    '}',
  ].join('\n');

  async function packageWith(threadSource: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'step-map-'));
    temps.push(dir);
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'README.md'), readme);
    await writeFile(join(dir, 'src', 'thread.ts'), threadSource);
    return dir;
  }

  it('reads the call-form names and files of the step-map sections only', () => {
    expect(stepMapNames(readme)).toEqual({ identifiers: ['ensureTask', 'beginTurn'], files: ['thread.ts'] });
  });

  it('passes while the source declares every name', async () => {
    expect(await missingStepMapNames(await packageWith(source))).toEqual({ identifiers: [], files: [] });
  });

  it('fails when a named identifier is renamed in the source', async () => {
    const renamed = source.replace('beginTurn(auth', 'startTurn(auth');
    expect(await missingStepMapNames(await packageWith(renamed))).toEqual({ identifiers: ['beginTurn'], files: [] });
  });
});
