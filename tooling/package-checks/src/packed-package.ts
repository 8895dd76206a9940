import { mkdir, readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { CheckReport } from './check-report.js';
import { runCommand } from './command.js';
import { readPackageManifest, type PackageManifest } from './package-manifest.js';
import type { WorkspacePackage } from './workspace.js';

/** A workspace package as `pnpm pack` published it: the tarball and its unpacked contents. */
export interface PackedPackage {
  readonly source: WorkspacePackage;
  readonly tarballPath: string;
  /** The tarball's `package/` folder, unpacked. */
  readonly unpackedDir: string;
  /** The packed `package.json`: `publishConfig` applied, `workspace:` ranges rewritten. */
  readonly manifest: PackageManifest;
  /** Every file in the tarball, relative to `package/`, with `/` separators, sorted. */
  readonly files: readonly string[];
}

function parsePackedFilename(stdout: string): string {
  const parsed: unknown = JSON.parse(stdout);
  const filename =
    typeof parsed === 'object' && parsed !== null ? (parsed as { filename?: unknown }).filename : undefined;
  if (typeof filename !== 'string') throw new Error(`unexpected output of \`pnpm pack --json\`: ${stdout}`);
  return filename;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .split(sep)
        .join('/'),
    )
    .sort();
}

/**
 * Packs one package with `pnpm pack` into `destDir` and unpacks the tarball beside it. pnpm (not
 * npm) is the point: it applies `publishConfig` and rewrites `workspace:` ranges, as
 * `pnpm publish` will.
 */
export async function packPackage(pkg: WorkspacePackage, destDir: string): Promise<PackedPackage> {
  const tarballPath = parsePackedFilename(
    await runCommand('pnpm', ['pack', '--pack-destination', destDir, '--json'], { cwd: pkg.dir }),
  );
  const unpackRoot = join(destDir, pkg.name.replace(/^@/, '').replace('/', '-'));
  await mkdir(unpackRoot, { recursive: true });
  await runCommand('tar', ['-xzf', tarballPath, '-C', unpackRoot], { cwd: destDir });
  const unpackedDir = join(unpackRoot, 'package');
  return {
    source: pkg,
    tarballPath,
    unpackedDir,
    manifest: await readPackageManifest(join(unpackedDir, 'package.json')),
    files: await listFiles(unpackedDir),
  };
}

/**
 * Packs the packages one after the other (pnpm pack is fast; parallel runs only add noise), with
 * a `pack` line each in the report; answers the ones that packed.
 */
export async function packPackages(
  packages: readonly WorkspacePackage[],
  destDir: string,
  report: CheckReport,
): Promise<PackedPackage[]> {
  const packed: PackedPackage[] = [];
  for (const pkg of packages) {
    try {
      const result = await packPackage(pkg, destDir);
      const kib = ((await stat(result.tarballPath)).size / 1024).toFixed(1);
      report.record(pkg.name, 'pack', [], `${result.files.length} files, ${kib} KiB`);
      packed.push(result);
    } catch (error) {
      report.record(pkg.name, 'pack', [error instanceof Error ? error.message : String(error)]);
    }
  }
  return packed;
}
