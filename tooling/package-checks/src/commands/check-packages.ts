// Packs every publishable package and checks each tarball: manifest rules, publint, attw.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { attwProblems } from '../attw-check.js';
import { CheckReport } from '../check-report.js';
import { checkPackedManifest } from '../manifest-rules.js';
import { packPackage } from '../packed-package.js';
import { publintProblems } from '../publint-check.js';
import { withTempDir } from '../temp-dir.js';
import { findWorkspaceRoot, listWorkspacePackages } from '../workspace.js';

const root = findWorkspaceRoot(import.meta.dirname);
const packages = await listWorkspacePackages(root);
const report = new CheckReport(packages.map((pkg) => pkg.name));

await withTempDir('agent-identity-pack-', async (packDir) => {
  for (const pkg of packages) {
    if (pkg.isPrivate) {
      report.note(pkg.name, 'private, not published');
      continue;
    }
    let packed;
    try {
      packed = await packPackage(pkg, packDir);
    } catch (error) {
      report.record(pkg.name, 'pack', [error instanceof Error ? error.message : String(error)]);
      continue;
    }
    const kib = (statSync(packed.tarballPath).size / 1024).toFixed(1);
    report.record(pkg.name, 'pack', [], `${packed.files.length} files, ${kib} KiB`);
    const { manifest, tarballPath, unpackedDir, files } = packed;
    await report.run(pkg.name, 'manifest', () =>
      Promise.resolve(
        checkPackedManifest(manifest, {
          relativeDir: pkg.relativeDir,
          files,
          readText: (path) => readFileSync(join(unpackedDir, path), 'utf8'),
        }),
      ),
    );
    await report.run(pkg.name, 'publint', () => publintProblems(tarballPath));
    await report.run(pkg.name, 'attw --profile esm-only', () => attwProblems(tarballPath, manifest));
  }
});

process.exitCode = report.close('packaging');
