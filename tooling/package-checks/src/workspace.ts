import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { runCommand } from './command.js';
import { manifestName, readPackageManifest, type PackageManifest } from './package-manifest.js';

/** One project of the pnpm workspace (the root itself excluded). */
export interface WorkspacePackage {
  readonly name: string;
  /** Absolute folder. */
  readonly dir: string;
  /** Folder relative to the workspace root, with `/` separators (`packages/core`). */
  readonly relativeDir: string;
  readonly isPrivate: boolean;
  readonly manifest: PackageManifest;
}

/** The folder holding `pnpm-workspace.yaml`, searched upwards from `startDir`. */
export function findWorkspaceRoot(startDir: string): string {
  for (let dir = startDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${startDir}`);
  }
}

interface ListedProject {
  readonly path: string;
}

function isListedProject(value: unknown): value is ListedProject {
  return typeof value === 'object' && value !== null && typeof (value as { path?: unknown }).path === 'string';
}

/**
 * Every project of the workspace, as pnpm itself resolves `pnpm-workspace.yaml` (so a new package
 * or app is picked up without anyone editing a list here), sorted by name.
 */
export async function listWorkspacePackages(root: string): Promise<WorkspacePackage[]> {
  const listing: unknown = JSON.parse(
    await runCommand('pnpm', ['ls', '--recursive', '--depth', '-1', '--json'], { cwd: root }),
  );
  if (!Array.isArray(listing) || !listing.every(isListedProject))
    throw new Error('unexpected output of `pnpm ls --recursive --json`');
  const projects = await Promise.all(
    listing
      .filter((project) => relative(root, project.path) !== '')
      .map(async (project): Promise<WorkspacePackage> => {
        const manifest = await readPackageManifest(join(project.path, 'package.json'));
        return {
          name: manifestName(manifest),
          dir: project.path,
          relativeDir: relative(root, project.path).split(sep).join('/'),
          isPrivate: manifest.private === true,
          manifest,
        };
      }),
  );
  return projects.sort((a, b) => a.name.localeCompare(b.name));
}

/** The packages that get published: every workspace project not marked `private`. */
export async function listPublishablePackages(root: string): Promise<WorkspacePackage[]> {
  return (await listWorkspacePackages(root)).filter((pkg) => !pkg.isPrivate);
}
