import type { PackageManifest } from '../src/package-manifest.js';
import type { PackedManifestContext } from '../src/manifest-rules.js';

/** A packed manifest that passes every rule, as `pnpm pack` writes it for packages/core. */
export function goodManifest(overrides: Record<string, unknown> = {}): PackageManifest {
  return {
    name: '@agent-identity/core',
    version: '0.1.0',
    type: 'module',
    sideEffects: false,
    engines: { node: '^20.19.0 || ^22.12.0 || >=24.0.0' },
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './testing': { types: './dist/testing.d.ts', default: './dist/testing.js' },
      './package.json': './package.json',
    },
    files: ['dist'],
    repository: {
      type: 'git',
      url: 'git+https://github.com/agent-identity/agent-identity.git',
      directory: 'packages/core',
    },
    publishConfig: { access: 'public' },
    dependencies: { '@agent-identity/protocol': '0.1.0', zod: '^4.0.0' },
    ...overrides,
  };
}

/** The tarball around `goodManifest`, with a CLI whose text the test can choose. */
export function packedContext(texts: Record<string, string> = {}): PackedManifestContext {
  const contents: Record<string, string> = {
    'package.json': '{}',
    'dist/index.js': '',
    'dist/index.d.ts': '',
    'dist/cli.js': '#!/usr/bin/env node\n',
    ...texts,
  };
  return {
    relativeDir: 'packages/core',
    files: Object.keys(contents).sort(),
    readText: (path) => {
      const text = contents[path];
      if (text === undefined) throw new Error(`no ${path} in the test tarball`);
      return text;
    },
  };
}
