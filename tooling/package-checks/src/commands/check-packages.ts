// Packs every publishable package and checks each tarball: manifest rules, publint, attw.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attwProblems } from '../attw-check.js';
import { CheckReport } from '../check-report.js';
import { checkPackedManifest } from '../manifest-rules.js';
import { packPackages } from '../packed-package.js';
import { publintProblems } from '../publint-check.js';
import { withTempDir } from '../temp-dir.js';
import { findWorkspaceRoot, listWorkspacePackages } from '../workspace.js';

const root = findWorkspaceRoot(import.meta.dirname);
const packages = await listWorkspacePackages(root);
const report = new CheckReport(packages.map((pkg) => pkg.name));

for (const pkg of packages.filter((candidate) => candidate.isPrivate)) report.note(pkg.name, 'private, not published');

await withTempDir('agent-identity-pack-', async (packDir) => {
  const packed = await packPackages(
    packages.filter((pkg) => !pkg.isPrivate),
    packDir,
    report,
  );
  for (const { source, manifest, tarballPath, unpackedDir, files } of packed) {
    await report.run(source.name, 'manifest', () =>
      Promise.resolve(
        checkPackedManifest(manifest, {
          relativeDir: source.relativeDir,
          files,
          readText: (path) => readFileSync(join(unpackedDir, path), 'utf8'),
        }),
      ),
    );
    await report.run(source.name, 'publint', () => publintProblems(tarballPath));
    await report.run(source.name, 'attw --profile esm-only', () => attwProblems(tarballPath, manifest));
  }
});

process.exitCode = report.close('packaging');
