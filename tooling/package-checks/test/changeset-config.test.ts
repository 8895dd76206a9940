import { describe, expect, it } from 'vitest';
import { changesetConfigProblems } from '../src/changeset-config.js';

const workspace = [
  '@agent-identity/protocol',
  '@agent-identity/crypto',
  '@agent-identity/core',
  '@agent-identity/verifier',
];
const policy = {
  fixed: [['@agent-identity/protocol', '@agent-identity/crypto', '@agent-identity/core']],
  linked: [],
  access: 'public',
  baseBranch: 'main',
  ignore: [],
  privatePackages: { version: false, tag: false },
  ___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH: { onlyUpdatePeerDependentsWhenOutOfRange: true },
};

describe('changesetConfigProblems', () => {
  it('accepts the release policy (fixed group in any order)', () => {
    expect(changesetConfigProblems(policy, workspace)).toEqual([]);
    expect(
      changesetConfigProblems(
        { ...policy, fixed: [['@agent-identity/core', '@agent-identity/protocol', '@agent-identity/crypto']] },
        workspace,
      ),
    ).toEqual([]);
  });

  it('names each broken rule', () => {
    expect(
      changesetConfigProblems(
        {
          fixed: [['@agent-identity/protocol', '@agent-identity/crypto']],
          access: 'restricted',
          baseBranch: 'master',
          privatePackages: { version: true, tag: false },
        },
        workspace,
      ),
    ).toEqual([
      '"fixed" must have the group [@agent-identity/protocol, @agent-identity/crypto, @agent-identity/core]',
      '"access" must be "public"',
      '"baseBranch" must be "main"',
      '"privatePackages" must be { "version": false, "tag": false }',
      '"___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH.onlyUpdatePeerDependentsWhenOutOfRange" must be true',
    ]);
  });

  it('flags a group or ignore entry that names no workspace package', () => {
    expect(
      changesetConfigProblems(
        { ...policy, linked: [['@agent-identity/verifiers']], ignore: ['@agent-identity/old'] },
        workspace,
      ),
    ).toEqual([
      'names "@agent-identity/verifiers", which is not a workspace package',
      'names "@agent-identity/old", which is not a workspace package',
    ]);
  });
});
