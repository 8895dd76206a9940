import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';

/** The client bundle's budget: 150 KiB of minified JavaScript (150 × 1024 bytes). */
export const CLIENT_BUNDLE_BUDGET_BYTES = 150 * 1024;

/** The packages of the client runtime: what an agent host bundles. */
export const CLIENT_BUNDLE_PACKAGES = ['@agent-identity/core', '@agent-identity/api-bridge'] as const;

/** What one bundle weighs, and which package each byte came from. */
export interface BundleMeasurement {
  /** Bytes of the minified output. */
  readonly bytes: number;
  /** Bytes of the output per source package, heaviest first. */
  readonly contributions: readonly BundleContribution[];
}

export interface BundleContribution {
  readonly packageName: string;
  readonly bytes: number;
}

/**
 * An entry that re-exports every export of `packageNames`: nothing is left to tree-shaking, so
 * the figure is what a host pays at most, whichever of the APIs it calls.
 */
export function reexportEntry(packageNames: readonly string[]): string {
  return packageNames.map((name) => `export * from '${name}';\n`).join('');
}

/**
 * Bundles {@link reexportEntry} of `packageNames` the way a user's bundler would (esbuild,
 * `--bundle --minify --platform=node --format=esm`; Node's builtins stay external, every package
 * is inlined), resolving the packages from `resolveDir` through their published `exports`.
 */
export async function measureBundle(packageNames: readonly string[], resolveDir: string): Promise<BundleMeasurement> {
  const result = await build({
    stdin: { contents: reexportEntry(packageNames), resolveDir, sourcefile: 'client-entry.js', loader: 'js' },
    // Metafile paths are relative to this folder.
    absWorkingDir: resolveDir,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild wrote no output');
  return {
    bytes: output.contents.byteLength,
    contributions: bundleContributions(result.metafile, (input) => packageNameOf(resolve(resolveDir, input))),
  };
}

/** The output bytes of a metafile's single output, summed per package (`packageOf` an input path). */
export function bundleContributions(metafile: Metafile, packageOf: (input: string) => string): BundleContribution[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals]
    .map(([packageName, bytes]) => ({ packageName, bytes }))
    .filter((contribution) => contribution.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.packageName.localeCompare(b.packageName));
}

/** The `name` of the nearest `package.json` above `file` (`(entry)` when none names it). */
function packageNameOf(file: string): string {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const { name } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: unknown };
    // Some packages (zod's v4/, its locales/) put a nameless package.json in subfolders.
    if (typeof name === 'string') return name;
  }
  return '(entry)';
}

/** `139.3 KiB (142,660 bytes)`. */
export function formatBytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB (${bytes.toLocaleString('en-US')} bytes)`;
}

/** The problem with a bundle of `bytes` under `budgetBytes`, if any. */
export function bundleBudgetProblems(bytes: number, budgetBytes: number): string[] {
  return bytes <= budgetBytes
    ? []
    : [
        `the bundle is ${formatBytes(bytes)}, over the budget of ${formatBytes(budgetBytes)} by ${bytes - budgetBytes} bytes`,
      ];
}
