import { describe, expect, it } from 'vitest';
import { changesetReleases } from '../src/changeset-file.js';

describe('changesetReleases', () => {
  it('reads every package and bump of the frontmatter, quoted or not', () => {
    const markdown = [
      '---',
      '"@agent-identity/api-bridge": minor',
      "'@agent-identity/core': patch",
      'some-tool: none',
      '---',
      '',
      'First release.',
      '',
    ].join('\n');
    expect(changesetReleases(markdown)).toEqual([
      { name: '@agent-identity/api-bridge', type: 'minor' },
      { name: '@agent-identity/core', type: 'patch' },
      { name: 'some-tool', type: 'none' },
    ]);
  });

  it('finds nothing in a file without frontmatter', () => {
    expect(changesetReleases('# Changesets\n\nHow to add one.\n')).toEqual([]);
  });
});
