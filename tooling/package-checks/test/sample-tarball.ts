import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../src/command.js';

const SAMPLE_PACKAGE = join(import.meta.dirname, 'fixtures', 'sample-package');

/**
 * A real tarball of the sample package after `edit` changed its package.json (and, through the
 * folder it is given, its files); remove `dir` afterwards.
 */
export async function sampleTarball(
  edit: (manifest: Record<string, unknown>, packageDir: string) => Promise<void> | void = () => undefined,
): Promise<{ dir: string; tarballPath: string; manifest: Record<string, unknown> }> {
  const dir = await mkdtemp(join(tmpdir(), 'package-checks-test-'));
  await cp(SAMPLE_PACKAGE, join(dir, 'package'), { recursive: true });
  const manifestPath = join(dir, 'package', 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
  await edit(manifest, join(dir, 'package'));
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  const tarballPath = join(dir, 'sample.tgz');
  await runCommand('tar', ['-czf', tarballPath, 'package'], { cwd: dir });
  return { dir, tarballPath, manifest };
}

export async function removeSample(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
