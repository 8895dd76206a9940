import { describe, expect, it } from 'vitest';
import { entryPoints } from '../src/entry-points.js';

describe('entryPoints', () => {
  it('lists every exports subpath as the specifier a user writes, JSON subpaths marked', () => {
    const { imports } = entryPoints({
      name: '@agent-identity/core',
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './testing': { types: './dist/testing.d.ts', default: './dist/testing.js' },
        './package.json': './package.json',
        './internal': null,
      },
    });
    expect(imports).toEqual([
      { subpath: '.', specifier: '@agent-identity/core', isJson: false },
      { subpath: './testing', specifier: '@agent-identity/core/testing', isJson: false },
      { subpath: './package.json', specifier: '@agent-identity/core/package.json', isJson: true },
    ]);
  });

  it('treats a conditions object or a string as the root entry alone', () => {
    expect(
      entryPoints({ name: 'a', exports: { types: './i.d.ts', default: './i.js' } }).imports.map(
        (entry) => entry.specifier,
      ),
    ).toEqual(['a']);
    expect(entryPoints({ name: 'a', exports: './i.js' }).imports.map((entry) => entry.specifier)).toEqual(['a']);
  });

  it('refuses subpath patterns, which cannot be enumerated', () => {
    expect(() => entryPoints({ name: 'a', exports: { './*': './dist/*.js' } })).toThrow(/subpath patterns \(\.\/\*\)/);
  });

  it('lists bins, a string bin named after the package without its scope', () => {
    expect(
      entryPoints({ name: '@agent-identity/reference-backend', bin: { 'agent-identity-backend': './dist/cli.js' } })
        .bins,
    ).toEqual([{ name: 'agent-identity-backend', path: './dist/cli.js' }]);
    expect(entryPoints({ name: '@agent-identity/cli', bin: './dist/cli.js' }).bins).toEqual([
      { name: 'cli', path: './dist/cli.js' },
    ]);
  });
});
