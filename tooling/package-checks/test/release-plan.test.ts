import { describe, expect, it } from 'vitest';
import { changelogHead, releasePlanProblems, type VersionChange } from '../src/release-plan.js';

function change(name: string, before: string, after: string, extra: Partial<VersionChange> = {}): VersionChange {
  return {
    name,
    isPrivate: false,
    before: { name, version: before, dependencies: { '@agent-identity/protocol': 'workspace:*' } },
    after: { name, version: after, dependencies: { '@agent-identity/protocol': 'workspace:*' } },
    changelog: before === after ? undefined : `# ${name}\n\n## ${after}\n`,
    hadChangelog: false,
    ...extra,
  };
}

const fixedGroup = [
  change('@agent-identity/protocol', '0.0.0', '0.1.0'),
  change('@agent-identity/crypto', '0.0.0', '0.1.0'),
  change('@agent-identity/core', '0.0.0', '0.1.0'),
];
const named = new Set([
  '@agent-identity/protocol',
  '@agent-identity/crypto',
  '@agent-identity/core',
  '@agent-identity/verifier',
]);

describe('releasePlanProblems', () => {
  it('accepts a first release of every package with the fixed group on one version', () => {
    expect(
      releasePlanProblems(
        [
          ...fixedGroup,
          change('@agent-identity/verifier', '0.0.0', '0.1.0'),
          change('@agent-identity/tsconfig', '0.0.0', '0.0.0', { isPrivate: true }),
        ],
        named,
      ),
    ).toEqual([]);
  });

  it('flags a never-released package that no changeset names, even when a dependency bump moved it', () => {
    expect(releasePlanProblems([...fixedGroup, change('@agent-identity/api-bridge', '0.0.0', '0.0.1')], named)).toEqual(
      ['@agent-identity/api-bridge was never released and no changeset names it'],
    );
  });

  it('leaves released packages without a changeset alone', () => {
    expect(releasePlanProblems([...fixedGroup, change('@agent-identity/api-bridge', '0.1.0', '0.1.0')], named)).toEqual(
      [],
    );
  });

  it('flags a fixed group that split', () => {
    expect(
      releasePlanProblems([...fixedGroup.slice(0, 2), change('@agent-identity/core', '0.0.0', '0.2.0')], named),
    ).toEqual([
      'the fixed group [@agent-identity/protocol, @agent-identity/crypto, @agent-identity/core] ended on different versions: 0.1.0, 0.2.0',
    ]);
  });

  it('flags a private package that was versioned or got a changelog', () => {
    expect(
      releasePlanProblems(
        [
          ...fixedGroup,
          change('@agent-identity/agent-cli', '0.0.0', '0.1.0', { isPrivate: true }),
          change('@agent-identity/tsconfig', '0.0.0', '0.0.0', { isPrivate: true, changelog: '# x\n' }),
        ],
        named,
      ),
    ).toEqual([
      '@agent-identity/agent-cli is private but was versioned 0.0.0 → 0.1.0',
      '@agent-identity/agent-cli is private but got a CHANGELOG.md',
      '@agent-identity/tsconfig is private but got a CHANGELOG.md',
    ]);
  });

  it('flags workspace: ranges that changeset version rewrote', () => {
    const rewritten = change('@agent-identity/verifier', '0.0.0', '0.1.0', {
      after: {
        name: '@agent-identity/verifier',
        version: '0.1.0',
        dependencies: { '@agent-identity/protocol': '^0.1.0' },
      },
    });
    expect(releasePlanProblems([...fixedGroup, rewritten], named)).toEqual([
      '@agent-identity/verifier: workspace ranges rewritten by changeset version: dependencies.@agent-identity/protocol=workspace:*',
    ]);
  });
});

describe('changelogHead', () => {
  const changelog = [
    '# @agent-identity/core',
    '',
    '## 0.2.0',
    '',
    '### Minor Changes',
    '',
    '- a',
    '- b',
    '- c',
    '',
    '## 0.1.0',
    '',
    '- old',
    '',
  ].join('\n');

  it('is the newest section without blank lines', () => {
    expect(changelogHead(changelog, 10)).toEqual(['## 0.2.0', '### Minor Changes', '- a', '- b', '- c']);
  });

  it('is cut at maxLines with an ellipsis', () => {
    expect(changelogHead(changelog, 2)).toEqual(['## 0.2.0', '### Minor Changes', '…']);
  });

  it('is empty for a changelog without versions', () => {
    expect(changelogHead('# x\n', 5)).toEqual([]);
  });
});
