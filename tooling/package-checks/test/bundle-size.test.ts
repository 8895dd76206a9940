import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleBudgetProblems, formatBytes, measureBundle, reexportEntry } from '../src/bundle-size.js';

let project: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'package-checks-bundle-'));
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

/** An ESM package in the project's node_modules whose `exports` point at `dist/index.js`. */
async function installPackage(name: string, source: string, dependencies: Record<string, string> = {}): Promise<void> {
  const dir = join(project, 'node_modules', name);
  await mkdir(join(dir, 'dist'), { recursive: true });
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name,
      type: 'module',
      exports: { '.': { '@agent-identity/source': './src/index.js', default: './dist/index.js' } },
      dependencies,
    }),
  );
  await writeFile(join(dir, 'dist', 'index.js'), source);
  // The workspace-only condition must not be followed: a bundle of sources would be a lie.
  await writeFile(join(dir, 'src', 'index.js'), `export const fromSource = '${'s'.repeat(50_000)}';\n`);
}

describe('measureBundle', () => {
  it('bundles every export of the packages through their exports, inlines dependencies, keeps builtins external', async () => {
    const heavy = Array.from(
      { length: 200 },
      (_, index) => `export const table${index} = ${JSON.stringify(`${index}`.repeat(40))};`,
    );
    await installPackage('heavy-dep', heavy.join('\n'));
    await installPackage(
      '@scope/client',
      "import { createHash } from 'node:crypto';\nexport * from 'heavy-dep';\nexport const digest = (text) => createHash('sha256').update(text).digest('hex');\n",
      { 'heavy-dep': '1.0.0' },
    );
    await installPackage('@scope/bridge', "export const bridge = () => 'bridge';\n");

    const measurement = await measureBundle(['@scope/client', '@scope/bridge'], project);

    expect(measurement.contributions.map((contribution) => contribution.packageName)).toEqual([
      'heavy-dep',
      '@scope/client',
      '@scope/bridge',
    ]);
    const counted = measurement.contributions.reduce((sum, contribution) => sum + contribution.bytes, 0);
    expect(counted).toBeLessThanOrEqual(measurement.bytes);
    // 200 exports of 40-80 characters each: inlined, not imported.
    expect(measurement.contributions[0]?.bytes).toBeGreaterThan(200 * 40);
    // Neither the source condition's 50 kB nor node:crypto's code is in it.
    expect(measurement.bytes).toBeLessThan(50_000);
  });

  it('fails on a package that does not resolve', async () => {
    await expect(measureBundle(['@scope/missing'], project)).rejects.toThrow(/@scope\/missing/);
  });
});

describe('reexportEntry', () => {
  it('re-exports everything of each package, so tree-shaking leaves nothing out', () => {
    expect(reexportEntry(['@agent-identity/core', '@agent-identity/api-bridge'])).toBe(
      "export * from '@agent-identity/core';\nexport * from '@agent-identity/api-bridge';\n",
    );
  });
});

describe('bundleBudgetProblems', () => {
  it('passes a bundle at the budget and fails one byte over, naming both sizes', () => {
    expect(bundleBudgetProblems(153_600, 153_600)).toEqual([]);
    expect(bundleBudgetProblems(153_601, 153_600)).toEqual([
      'the bundle is 150.0 KiB (153,601 bytes), over the budget of 150.0 KiB (153,600 bytes) by 1 bytes',
    ]);
  });

  it('formats sizes in KiB and exact bytes', () => {
    expect(formatBytes(142_660)).toBe('139.3 KiB (142,660 bytes)');
  });
});
