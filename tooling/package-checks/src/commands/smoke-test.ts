// Packs every publishable package, installs all tarballs with plain npm into a project under
// os.tmpdir() (outside the workspace, so no workspace link can stand in for a broken package),
// and uses them there: every entry point, a sign-and-verify round trip, the reference backend.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckReport } from '../check-report.js';
import { runCommandForOutput } from '../command.js';
import { consumerTypeProblems } from '../consumer-types.js';
import { packPackages } from '../packed-package.js';
import {
  createSmokeProject,
  installOptionalPeers,
  tarballInstallProblems,
  TYPES_PROBE_FILE,
  WITHOUT_OPTIONAL_PEERS_SCRIPT,
} from '../smoke-project.js';
import { withTempDir } from '../temp-dir.js';
import { findWorkspaceRoot, listPublishablePackages } from '../workspace.js';

const ALL = 'all packages';
const root = findWorkspaceRoot(import.meta.dirname);
const packages = await listPublishablePackages(root);
const report = new CheckReport([ALL, ...packages.map((pkg) => pkg.name)]);

await withTempDir('agent-identity-smoke-', async (dir) => {
  const tarballDir = join(dir, 'tarballs');
  const projectDir = join(dir, 'project');
  await mkdir(tarballDir);
  await mkdir(projectDir);

  const packed = await packPackages(packages, tarballDir, report);
  if (packed.length !== packages.length) return;

  let testFiles: readonly string[] = [];
  const installed = await report.run(ALL, `npm install of ${packed.length} tarballs into ${projectDir}`, async () => {
    ({ testFiles } = await createSmokeProject(projectDir, packed));
    return [];
  });
  if (!installed) return;

  await report.run(ALL, 'installed from the tarballs, one copy each', async () =>
    tarballInstallProblems(
      JSON.parse(await readFile(join(projectDir, 'package-lock.json'), 'utf8')),
      packed.map((pkg) => pkg.source.name),
    ),
  );

  await report.run(ALL, 'node --test, before the optional peers are installed: entry points without them', () =>
    nodeTest(projectDir, [WITHOUT_OPTIONAL_PEERS_SCRIPT]),
  );

  const peersInstalled = await report.run(ALL, 'npm install of the optional peers (vitest)', async () => {
    await installOptionalPeers(projectDir, packed);
    return [];
  });
  if (!peersInstalled) return;

  await report.run(ALL, 'node --test: entry points, round trip, reference backend', () =>
    nodeTest(projectDir, testFiles),
  );

  await report.run(ALL, 'types: a strict NodeNext consumer compiles every entry point', () =>
    Promise.resolve(
      consumerTypeProblems(
        projectDir,
        TYPES_PROBE_FILE,
        packed.map((pkg) => pkg.source.name),
      ),
    ),
  );
});

process.exitCode = report.close('smoke');

/** `node --test` on smoke scripts inside the project; its report is printed, a failure is a problem. */
async function nodeTest(projectDir: string, scripts: readonly string[]): Promise<string[]> {
  const tests = await runCommandForOutput(process.execPath, ['--test', '--test-reporter=spec', ...scripts], {
    cwd: projectDir,
  });
  process.stdout.write(`${tests.stdout.replace(/^/gm, '        ').trimEnd()}\n`);
  return tests.exitCode === 0 ? [] : [tests.stderr.trim() || `node --test exited ${tests.exitCode}`];
}
