import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { attwProblems } from '../src/attw-check.js';
import { publintProblems } from '../src/publint-check.js';
import { removeSample, sampleTarball } from './sample-tarball.js';

const dirs: string[] = [];
async function tarball(edit?: Parameters<typeof sampleTarball>[0]) {
  const sample = await sampleTarball(edit);
  dirs.push(sample.dir);
  return sample;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeSample));
});

describe('publint and attw on real tarballs', () => {
  it('pass a well-formed ESM-only package', async () => {
    const { tarballPath, manifest } = await tarball();
    expect(await publintProblems(tarballPath)).toEqual([]);
    expect(await attwProblems(tarballPath, manifest)).toEqual([]);
  });

  it('publint fails a package whose types condition comes after default', async () => {
    const { tarballPath } = await tarball((pkg) => {
      pkg.exports = {
        '.': { default: './lib/index.js', types: './lib/index.d.ts' },
        './package.json': './package.json',
      };
    });
    expect(await publintProblems(tarballPath)).toContainEqual(expect.stringContaining('EXPORTS_TYPES_SHOULD_BE_FIRST'));
  });

  it('attw fails ESM JavaScript typed as CommonJS (.d.cts)', async () => {
    const { tarballPath, manifest } = await tarball(async (pkg, packageDir) => {
      pkg.exports = {
        '.': { types: './lib/index.d.cts', default: './lib/index.js' },
        './package.json': './package.json',
      };
      await rename(join(packageDir, 'lib', 'index.d.ts'), join(packageDir, 'lib', 'index.d.cts'));
    });
    expect(await attwProblems(tarballPath, manifest)).toEqual(['FalseCJS in ./lib/index.d.cts and ./lib/index.js']);
  });

  it('publint fails on a suggestion too (strict): a missing "type": "module"', async () => {
    const { tarballPath } = await tarball((pkg) => {
      delete pkg.type;
    });
    expect((await publintProblems(tarballPath)).length).toBeGreaterThan(0);
  });

  it('attw fails a package that ships no types, which attw itself would pass', async () => {
    const { tarballPath, manifest } = await tarball(async (pkg, packageDir) => {
      pkg.exports = { '.': './lib/index.js', './package.json': './package.json' };
      await rm(join(packageDir, 'lib', 'index.d.ts'));
    });
    expect(await attwProblems(tarballPath, manifest)).toEqual(['the package ships no types']);
  });
});
