import { isRecord, manifestName, type PackageManifest } from './package-manifest.js';

/** Something a user can `import`: the package itself or one of its `exports` subpaths. */
export interface ImportEntryPoint {
  /** The `exports` key: `.`, `./testing`, `./package.json`. */
  readonly subpath: string;
  /** What a user writes: `@agent-identity/core`, `@agent-identity/core/testing`. */
  readonly specifier: string;
  /** A `.json` subpath, imported `with { type: 'json' }`. */
  readonly isJson: boolean;
}

/** A command the package installs into `node_modules/.bin`. */
export interface BinEntryPoint {
  readonly name: string;
  /** The file inside the package, as written in `bin` (`./dist/cli.js`). */
  readonly path: string;
}

export interface EntryPoints {
  readonly imports: readonly ImportEntryPoint[];
  readonly bins: readonly BinEntryPoint[];
}

function exportSubpaths(exportsField: unknown): string[] {
  if (exportsField === undefined) return ['.'];
  if (!isRecord(exportsField)) return ['.'];
  const keys = Object.keys(exportsField);
  // An object of conditions (no key starts with ".") is the root entry alone.
  if (!keys.some((key) => key.startsWith('.'))) return ['.'];
  const patterns = keys.filter((key) => key.includes('*'));
  if (patterns.length > 0) {
    throw new Error(`exports subpath patterns (${patterns.join(', ')}) cannot be enumerated; list each entry point`);
  }
  // A subpath mapped to null is explicitly not exported.
  return keys.filter((key) => exportsField[key] !== null);
}

function binEntries(manifest: PackageManifest, name: string): BinEntryPoint[] {
  const bin = manifest.bin;
  if (typeof bin === 'string') return [{ name: name.replace(/^@[^/]+\//, ''), path: bin }];
  if (!isRecord(bin)) return [];
  return Object.entries(bin).flatMap(([binName, path]) => (typeof path === 'string' ? [{ name: binName, path }] : []));
}

/**
 * The entry points a published manifest offers: every `exports` subpath and every `bin`. Read
 * from the manifest itself so that a new subpath or command is checked without anyone listing it.
 */
export function entryPoints(manifest: PackageManifest): EntryPoints {
  const name = manifestName(manifest);
  return {
    imports: exportSubpaths(manifest.exports).map((subpath) => ({
      subpath,
      specifier: subpath === '.' ? name : `${name}/${subpath.slice(2)}`,
      isJson: subpath.endsWith('.json'),
    })),
    bins: binEntries(manifest, name),
  };
}
