// `changeset version` on a copy of HEAD: prints the versions and changelog heads the pending
// changesets would produce and checks them against the release policy. The working tree and
// .git are never written (the copy comes from `git archive`), and the copy is removed after.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { changesetConfigProblems } from '../changeset-config.js';
import { changesetReleases } from '../changeset-file.js';
import { CheckReport, writeToStdout } from '../check-report.js';
import { runCommand } from '../command.js';
import { readPackageManifest } from '../package-manifest.js';
import { changelogHead, releasePlanProblems, versionOf, type VersionChange } from '../release-plan.js';
import { withTempDir } from '../temp-dir.js';
import { findWorkspaceRoot, listWorkspacePackages, type WorkspacePackage } from '../workspace.js';

const CHANGELOG_HEAD_LINES = 8;
const HEAD = 'HEAD';

function changesetBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@changesets/cli/package.json')), 'bin.js');
}

async function readChangelog(pkg: WorkspacePackage): Promise<string | undefined> {
  const path = join(pkg.dir, 'CHANGELOG.md');
  return existsSync(path) ? readFile(path, 'utf8') : undefined;
}

const root = findWorkspaceRoot(import.meta.dirname);
const commit = (await runCommand('git', ['rev-parse', '--short', HEAD], { cwd: root })).trim();
const RELEASE = `release of ${commit}`;
const report = new CheckReport(['.changeset/config.json', RELEASE]);

await withTempDir('agent-identity-release-', async (dir) => {
  const copy = join(dir, 'repo');
  await mkdir(copy);
  await runCommand('git', ['archive', '--format=tar', `--output=${join(dir, 'head.tar')}`, HEAD], { cwd: root });
  await runCommand('tar', ['-xf', join(dir, 'head.tar'), '-C', copy], { cwd: dir });
  // changesets loads its changelog generator from the repo's node_modules; a link, never written.
  await symlink(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');

  const packages = await listWorkspacePackages(copy);
  const changesetDir = join(copy, '.changeset');
  const config: unknown = JSON.parse(await readFile(join(changesetDir, 'config.json'), 'utf8'));
  await report.run('.changeset/config.json', 'release policy', () =>
    Promise.resolve(
      changesetConfigProblems(
        config,
        packages.map((pkg) => pkg.name),
      ),
    ),
  );

  const changesetFiles = (await readdir(changesetDir)).filter((file) => file.endsWith('.md') && file !== 'README.md');
  const namedInChangesets = new Set(
    (
      await Promise.all(
        changesetFiles.map(async (file) => changesetReleases(await readFile(join(changesetDir, file), 'utf8'))),
      )
    )
      .flat()
      .filter((release) => release.type !== 'none')
      .map((release) => release.name),
  );
  const hadChangelog = new Map(
    await Promise.all(packages.map(async (pkg) => [pkg.name, (await readChangelog(pkg)) !== undefined] as const)),
  );
  const versioned = await report.run(RELEASE, 'changeset version', async () => {
    await runCommand(process.execPath, [changesetBin(), 'version'], { cwd: copy });
    return [];
  });
  if (!versioned) return;

  const changes: VersionChange[] = await Promise.all(
    packages.map(async (pkg) => ({
      name: pkg.name,
      isPrivate: pkg.isPrivate,
      before: pkg.manifest,
      after: await readPackageManifest(join(pkg.dir, 'package.json')),
      changelog: await readChangelog(pkg),
      hadChangelog: hadChangelog.get(pkg.name) ?? false,
    })),
  );
  const width = Math.max(...changes.map((change) => change.name.length));
  for (const change of changes) {
    const before = versionOf(change.before);
    const after = versionOf(change.after);
    const label = change.isPrivate ? '(private)' : before === after ? '(unchanged)' : '';
    writeToStdout(`      ${change.name.padEnd(width)}  ${before} → ${after}  ${label}`.trimEnd());
    if (!change.isPrivate && before !== after && change.changelog !== undefined) {
      for (const line of changelogHead(change.changelog, CHANGELOG_HEAD_LINES)) writeToStdout(`          ${line}`);
    }
  }
  report.record(RELEASE, 'versions and changelogs follow the policy', releasePlanProblems(changes, namedInChangesets));
});

process.exitCode = report.close('release');
