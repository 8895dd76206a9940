import { readFile } from 'node:fs/promises';

/** A `package.json` as read from disk: fields are checked where they are used, not trusted. */
export type PackageManifest = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function readPackageManifest(path: string): Promise<PackageManifest> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${path} is not a JSON object`);
  return parsed;
}

/** The manifest's `name`, which every workspace package and every tarball must have. */
export function manifestName(manifest: PackageManifest): string {
  if (typeof manifest.name !== 'string' || manifest.name === '') throw new Error('package.json has no name');
  return manifest.name;
}
