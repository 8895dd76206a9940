import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runCommandForOutput } from './command.js';
import { entryPoints } from './entry-points.js';
import { isRecord, type PackageManifest } from './package-manifest.js';

/** The resolutions attw's `esm-only` profile ignores: CommonJS consumers are not supported. */
export const ESM_ONLY_IGNORED_RESOLUTIONS: readonly string[] = ['node10', 'node16-cjs'];

interface AttwProblem {
  readonly kind: string;
  readonly entrypoint?: string;
  readonly resolutionKind?: string;
  /** File-level problems (FalseCJS, FalseESM, …) name files instead of an entry point. */
  readonly [field: string]: unknown;
}

/** `FalseCJS (node16-esm) at .`, or for a file-level problem `FalseCJS in ./dist/index.d.cts`. */
function describeProblem(problem: AttwProblem): string {
  if (problem.entrypoint !== undefined) {
    return `${problem.entrypoint}: ${problem.kind}${problem.resolutionKind === undefined ? '' : ` (${problem.resolutionKind})`}`;
  }
  const files = Object.entries(problem)
    .filter(([field, value]) => field.endsWith('FileName') && typeof value === 'string')
    .map(([, value]) => String(value).replace(/^\/node_modules\/(@[^/]+\/)?[^/]+\//, './'));
  return `${problem.kind} in ${files.join(' and ')}`;
}

/** The part of `attw --format json` this check reads, for a package that has types. */
export interface AttwAnalysis {
  readonly entrypoints: Readonly<Record<string, unknown>>;
  readonly problems: readonly AttwProblem[];
}

function isAttwAnalysis(value: unknown): value is AttwAnalysis {
  return isRecord(value) && isRecord(value.entrypoints) && Array.isArray(value.problems);
}

/**
 * The problems of an attw analysis under the ESM-only profile, including an exported subpath attw
 * did not analyse.
 */
export function attwAnalysisProblems(analysis: AttwAnalysis, manifest: PackageManifest): string[] {
  const missing = entryPoints(manifest)
    .imports.filter((entry) => !entry.isJson && !(entry.subpath in analysis.entrypoints))
    .map((entry) => `${entry.subpath}: not analysed by attw`);
  const problems = analysis.problems
    .filter(
      (problem) =>
        problem.resolutionKind === undefined || !ESM_ONLY_IGNORED_RESOLUTIONS.includes(problem.resolutionKind),
    )
    .map(describeProblem);
  return [...missing, ...problems];
}

function attwBin(): string {
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve('@arethetypeswrong/cli/package.json');
  const bin: unknown = (require(packageJsonPath) as { bin?: unknown }).bin;
  const relativeBin = typeof bin === 'string' ? bin : isRecord(bin) ? bin.attw : undefined;
  if (typeof relativeBin !== 'string') throw new Error('@arethetypeswrong/cli has no attw bin');
  return join(dirname(packageJsonPath), relativeBin);
}

/**
 * `attw --profile esm-only` on a tarball, read as JSON. `--no-definitely-typed`: our packages
 * ship their own types, and looking up `@types/…` would only add registry round trips.
 */
export async function attwProblems(tarballPath: string, manifest: PackageManifest): Promise<string[]> {
  const output = await runCommandForOutput(
    process.execPath,
    [attwBin(), tarballPath, '--profile', 'esm-only', '--format', 'json', '--no-definitely-typed'],
    { cwd: dirname(tarballPath) },
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(output.stdout);
  } catch {
    return [`attw failed (exit ${output.exitCode}): ${output.stderr.trim() || output.stdout.trim()}`];
  }
  const analysis = isRecord(parsed) ? parsed.analysis : undefined;
  // attw itself passes a package without any types.
  if (isRecord(analysis) && analysis.types === false) return ['the package ships no types'];
  if (!isAttwAnalysis(analysis)) return ['unexpected attw output'];
  const problems = attwAnalysisProblems(analysis, manifest);
  // attw applies the same profile to its exit code; a disagreement means this reading is stale.
  if (output.exitCode !== 0 && problems.length === 0)
    return [`attw exited ${output.exitCode} but reported no problem this check reads`];
  return problems;
}
