import { isRecord } from './package-manifest.js';

/** Packages that are always released together, with one version (SPEC-level coupling). */
export const FIXED_GROUP: readonly string[] = [
  '@agent-identity/protocol',
  '@agent-identity/crypto',
  '@agent-identity/core',
];

function sameMembers(a: readonly unknown[], b: readonly string[]): boolean {
  return a.length === b.length && b.every((name) => a.includes(name));
}

/**
 * What `.changeset/config.json` must say for this repo's release policy; every package it names
 * must exist in the workspace (a renamed package would otherwise silently drop out of a group).
 */
export function changesetConfigProblems(config: unknown, workspaceNames: readonly string[]): string[] {
  if (!isRecord(config)) return ['.changeset/config.json is not a JSON object'];
  const problems: string[] = [];
  const fixed = Array.isArray(config.fixed) ? (config.fixed as unknown[]) : [];
  if (!fixed.some((group) => Array.isArray(group) && sameMembers(group, FIXED_GROUP))) {
    problems.push(`"fixed" must have the group [${FIXED_GROUP.join(', ')}]`);
  }
  if (config.access !== 'public') problems.push('"access" must be "public"');
  if (config.baseBranch !== 'main') problems.push('"baseBranch" must be "main"');
  const privatePackages = config.privatePackages;
  if (!isRecord(privatePackages) || privatePackages.version !== false || privatePackages.tag !== false) {
    problems.push('"privatePackages" must be { "version": false, "tag": false }');
  }
  const unsafe = config.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH;
  if (!isRecord(unsafe) || unsafe.onlyUpdatePeerDependentsWhenOutOfRange !== true) {
    problems.push(
      '"___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH.onlyUpdatePeerDependentsWhenOutOfRange" must be true',
    );
  }
  const named: unknown[] = ['fixed', 'linked'].flatMap((field) => {
    const groups: unknown = config[field];
    return Array.isArray(groups)
      ? groups.flatMap((group: unknown): unknown[] => (Array.isArray(group) ? group : []))
      : [];
  });
  const ignored: unknown[] = Array.isArray(config.ignore) ? (config.ignore as unknown[]) : [];
  for (const name of [...named, ...ignored]) {
    if (typeof name !== 'string' || !workspaceNames.includes(name))
      problems.push(`names ${JSON.stringify(name)}, which is not a workspace package`);
  }
  return problems;
}
