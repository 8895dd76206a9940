import { FIXED_GROUP } from './changeset-config.js';
import { isRecord, type PackageManifest } from './package-manifest.js';

/** One workspace package before and after `changeset version`. */
export interface VersionChange {
  readonly name: string;
  readonly isPrivate: boolean;
  readonly before: PackageManifest;
  readonly after: PackageManifest;
  /** The package's CHANGELOG.md after versioning, or undefined when there is none. */
  readonly changelog: string | undefined;
  /** Whether CHANGELOG.md existed before versioning. */
  readonly hadChangelog: boolean;
}

/** The version a never-released package carries. */
export const UNRELEASED_VERSION = '0.0.0';

export function versionOf(manifest: PackageManifest): string {
  return typeof manifest.version === 'string' ? manifest.version : '(none)';
}

function workspaceRanges(manifest: PackageManifest): string[] {
  return ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'].flatMap((field) => {
    const deps = manifest[field];
    return isRecord(deps)
      ? Object.entries(deps)
          .filter(([, range]) => typeof range === 'string' && range.startsWith('workspace:'))
          .map(([dep, range]) => `${field}.${dep}=${String(range)}`)
      : [];
  });
}

/**
 * What must hold after `changeset version`: every never-released publishable package is named by
 * a changeset of its own (not only bumped because a dependency moved, which would publish it with
 * an "Updated dependencies" changelog), the fixed group shares one version, private packages are
 * untouched, and `workspace:` ranges stay for pnpm to rewrite at pack time.
 *
 * @param namedInChangesets the packages the pending changesets name with a real bump
 */
export function releasePlanProblems(
  changes: readonly VersionChange[],
  namedInChangesets: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const change of changes) {
    const before = versionOf(change.before);
    const after = versionOf(change.after);
    if (change.isPrivate) {
      if (before !== after) problems.push(`${change.name} is private but was versioned ${before} → ${after}`);
      if (!change.hadChangelog && change.changelog !== undefined)
        problems.push(`${change.name} is private but got a CHANGELOG.md`);
    } else if (before === UNRELEASED_VERSION && !namedInChangesets.has(change.name)) {
      problems.push(`${change.name} was never released and no changeset names it`);
    }
    const lostRanges = workspaceRanges(change.before).filter((range) => !workspaceRanges(change.after).includes(range));
    if (lostRanges.length > 0)
      problems.push(`${change.name}: workspace ranges rewritten by changeset version: ${lostRanges.join(', ')}`);
  }
  const fixedVersions = new Set(
    changes.filter((change) => FIXED_GROUP.includes(change.name)).map((change) => versionOf(change.after)),
  );
  if (fixedVersions.size > 1)
    problems.push(
      `the fixed group [${FIXED_GROUP.join(', ')}] ended on different versions: ${[...fixedVersions].join(', ')}`,
    );
  return problems;
}

/** The newest section of a changelog (from its first `## ` heading to the next), at most `maxLines`. */
export function changelogHead(changelog: string, maxLines: number): string[] {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => line.startsWith('## '));
  if (start === -1) return [];
  const next = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  const section = lines.slice(start, next === -1 ? undefined : next).filter((line) => line.trim() !== '');
  return section.length > maxLines ? [...section.slice(0, maxLines), '…'] : section;
}
